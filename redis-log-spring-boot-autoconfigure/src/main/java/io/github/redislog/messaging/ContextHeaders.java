package io.github.redislog.messaging;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.github.redislog.RedisLogContext;
import org.jspecify.annotations.Nullable;

/**
 * The message headers that carry a log context from the application that sends a message
 * to the one that handles it: {@value #CONTEXT} holds the context id and {@value #OWNER}
 * its owner (the user who started the job). For a transport without the starter's own
 * support, write them when sending and restore them around the handling code:
 *
 * <pre class="code">
 * ContextHeaders.write(RedisLogContext.capture(), headers::put);          // sending
 *
 * try (RedisLogContext.Scope scope = RedisLogContext.restore(ContextHeaders.read(headers::get))) {
 *     handle(message);                                                    // receiving
 * }
 * </pre>
 *
 * The receiving side trusts these headers as it trusts the broker: whoever may publish to
 * its queues can choose the stream the handling code logs into.
 *
 * @author Redis Log contributors
 */
public final class ContextHeaders {

	/**
	 * Header with the context id.
	 */
	public static final String CONTEXT = "redis-log-context";

	/**
	 * Header with the owner of the context.
	 */
	public static final String OWNER = "redis-log-owner";

	private ContextHeaders() {
	}

	/**
	 * Write a context to a message's headers.
	 * @param context the context, typically {@link RedisLogContext#capture()}; nothing is
	 * written for {@code null}
	 * @param headers sets one header, given its name and value
	 */
	public static void write(RedisLogContext.@Nullable Snapshot context, BiConsumer<String, String> headers) {
		if (context != null) {
			headers.accept(CONTEXT, context.contextId());
			if (context.ownerId() != null) {
				headers.accept(OWNER, context.ownerId());
			}
		}
	}

	/**
	 * Read a context from a message's headers.
	 * @param headers returns a header's value (a {@code String}, UTF-8 bytes or anything
	 * whose {@code toString()} is the value), or {@code null} when absent
	 * @return the context, or {@code null} when the message carries none
	 */
	public static RedisLogContext.@Nullable Snapshot read(Function<String, @Nullable Object> headers) {
		String context = text(headers.apply(CONTEXT));
		if (context == null || context.isEmpty()) {
			return null;
		}
		String owner = text(headers.apply(OWNER));
		return new RedisLogContext.Snapshot(context, (owner == null || owner.isEmpty()) ? null : owner);
	}

	private static @Nullable String text(@Nullable Object value) {
		if (value instanceof byte[] bytes) {
			return new String(bytes, StandardCharsets.UTF_8);
		}
		return (value != null) ? value.toString() : null;
	}

}
