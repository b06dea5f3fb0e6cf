package io.github.redislog.context;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.redislog.RedisLogContext;
import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Micrometer context-propagation carry the {@link RedisLogContext} (context id and
 * owner, held in the MDC) wherever it carries thread-local values: task executors
 * decorated with a {@code ContextPropagatingTaskDecorator} or a
 * {@link RedisLogContextTaskDecorator}, and Reactor pipelines with automatic context
 * propagation, where {@link #KEY} is also the key of the value in the Reactor context.
 * <p>
 * Registered with the global {@code ContextRegistry} through the {@code ServiceLoader},
 * so it exists in every application that has the starter on its class path, switched
 * off or not. It does nothing (captures nothing, restores nothing) unless an
 * {@link Activation} is open: a running starter holds one.
 *
 * @author Redis Log contributors
 */
public final class RedisLogContextAccessor implements ThreadLocalAccessor<RedisLogContext.Snapshot> {

	/**
	 * Key of the context in a context snapshot and in a Reactor context.
	 */
	public static final String KEY = "io.github.redislog.context";

	// Counted, not a flag: several application contexts in one JVM share this accessor,
	// and one closing must not switch it off for the others.
	private static final AtomicInteger activations = new AtomicInteger();

	@Override
	public Object key() {
		return KEY;
	}

	@Override
	public RedisLogContext.@Nullable Snapshot getValue() {
		return isActive() ? RedisLogContext.capture() : null;
	}

	@Override
	public void setValue(RedisLogContext.Snapshot value) {
		if (isActive()) {
			// The snapshot's scope restores what this replaces through restore(previous).
			RedisLogContext.restore(value);
		}
	}

	@Override
	public void setValue() {
		if (isActive()) {
			RedisLogContext.restore(null);
		}
	}

	/**
	 * Return whether the accessor carries the log context: whether an {@link Activation}
	 * is open.
	 * @return whether the accessor is active
	 */
	public static boolean isActive() {
		return activations.get() > 0;
	}

	/**
	 * Switch the accessor on until the returned activation is closed.
	 * @return the activation
	 */
	public static Activation activate() {
		activations.incrementAndGet();
		return new Activation();
	}

	/**
	 * Keeps the accessor switched on while open. Closing it more than once has no further
	 * effect.
	 */
	public static final class Activation implements AutoCloseable {

		private final AtomicBoolean closed = new AtomicBoolean();

		private Activation() {
		}

		@Override
		public void close() {
			if (this.closed.compareAndSet(false, true)) {
				activations.decrementAndGet();
			}
		}

	}

}
