package io.github.redislog.messaging;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.github.redislog.RedisLogContext;
import org.jspecify.annotations.Nullable;

/**
 * The message headers that carry a log context from the application that sends a message
 * to the one that handles it: {@value #CONTEXT} holds the context id and {@value #OWNER}
 * its owner (the user who started the job), both percent-encoded as UTF-8
 * ({@code application/x-www-form-urlencoded}), so that any id fits in a header and in a
 * W3C {@code baggage} entry, where Micrometer Tracing carries the same two fields. For a
 * transport without the starter's own support, write them when sending and restore them
 * around the handling code:
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
	 * written for {@code null}, nor for an id with a lone surrogate (which has no UTF-8
	 * form), and an owner with one is left out
	 * @param headers sets one header, given its name and value
	 */
	public static void write(RedisLogContext.@Nullable Snapshot context, BiConsumer<String, String> headers) {
		if (context != null && isWellFormed(context.contextId())) {
			headers.accept(CONTEXT, encode(context.contextId()));
			String owner = context.ownerId();
			if (owner != null && isWellFormed(owner)) {
				headers.accept(OWNER, encode(owner));
			}
		}
	}

	/**
	 * Read a context from a message's headers.
	 * @param headers returns a header's value (a {@code String}, UTF-8 bytes or anything
	 * whose {@code toString()} is the value), or {@code null} when absent
	 * @return the context, or {@code null} when the message carries none or a malformed
	 * one
	 */
	public static RedisLogContext.@Nullable Snapshot read(Function<String, @Nullable Object> headers) {
		String context = decode(headers.apply(CONTEXT));
		if (context == null) {
			return null;
		}
		return new RedisLogContext.Snapshot(context, decode(headers.apply(OWNER)));
	}

	private static String encode(String id) {
		return URLEncoder.encode(id, StandardCharsets.UTF_8);
	}

	private static @Nullable String decode(@Nullable Object value) {
		String text = (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
				: (value != null) ? value.toString() : null;
		if (text == null || text.isEmpty()) {
			return null;
		}
		try {
			return URLDecoder.decode(text, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	// A lone surrogate has no UTF-8 form: encoding would turn it into '?', which is
	// another user's id, so such a context is not carried at all.
	private static boolean isWellFormed(String id) {
		for (int i = 0; i < id.length(); i++) {
			char c = id.charAt(i);
			if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
				i++;
			}
			else if (Character.isSurrogate(c)) {
				return false;
			}
		}
		return true;
	}

}
