package io.github.redislog.context;

import io.github.redislog.RedisLogContext;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context-propagation carry the {@link RedisLogContext} (context id and
 * owner, held in the MDC) wherever it carries thread-local values: task executors
 * decorated with a {@code ContextPropagatingTaskDecorator} or a
 * {@link RedisLogContextTaskDecorator}, and Reactor pipelines with automatic context
 * propagation, where {@link #KEY} is also the key of the value in the Reactor context.
 * Registered with the global {@code ContextRegistry} through the {@code ServiceLoader}.
 *
 * @author Redis Log contributors
 */
public final class RedisLogContextAccessor implements ThreadLocalAccessor<RedisLogContext.Snapshot> {

	/**
	 * Key of the context in a context snapshot and in a Reactor context.
	 */
	public static final String KEY = "io.github.redislog.context";

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public RedisLogContext.@Nullable Snapshot getValue() {
		return RedisLogContext.capture();
	}

	@Override
	public void setValue(RedisLogContext.Snapshot value) {
		// The snapshot's scope restores what this replaces through restore(previous).
		RedisLogContext.restore(value);
	}

	@Override
	public void setValue() {
		RedisLogContext.restore(null);
	}

}
