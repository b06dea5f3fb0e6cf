package io.github.redislog.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.function.BiConsumer;
import java.util.function.Function;

import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.ContextIdEncoder;
import org.jspecify.annotations.Nullable;

/**
 * The message headers that carry a log context from the application that sends a message
 * to the one that handles it: {@value #CONTEXT} holds the context id and {@value #OWNER}
 * its owner (the user who started the job). An id made of {@code A-Z a-z 0-9 . _ @ -}
 * is written as it is; any other id as {@code ~} and the unpadded base64url form of its
 * UTF-8 bytes, so that every value fits in a header and in a W3C {@code baggage} entry
 * (where Micrometer Tracing carries the same two fields), and comes out unchanged whether
 * a tracing library percent-encodes baggage values (OpenTelemetry) or not (Brave). For a
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

	// Starts the encoded form of an id, and no id written as it is.
	private static final String ENCODED = "~";

	private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

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
		if (ContextIdEncoder.isSafe(id)) {
			return id;
		}
		return ENCODED + BASE64.encodeToString(id.getBytes(StandardCharsets.UTF_8));
	}

	// Only the form encode() writes: one text per id.
	private static @Nullable String decode(@Nullable Object value) {
		String text = (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
				: (value != null) ? value.toString() : null;
		if (text == null || text.isEmpty()) {
			return null;
		}
		String id = text.startsWith(ENCODED) ? fromBase64(text.substring(ENCODED.length())) : text;
		return (id != null && !id.isEmpty() && encode(id).equals(text)) ? id : null;
	}

	private static @Nullable String fromBase64(String text) {
		try {
			byte[] utf8 = Base64.getUrlDecoder().decode(text);
			return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(utf8)).toString();
		}
		catch (IllegalArgumentException | CharacterCodingException ex) {
			return null;
		}
	}

	// A lone surrogate has no UTF-8 form: encoding would turn it into '?', which is
	// another user's id, so such a context is not carried at all.
	private static boolean isWellFormed(String id) {
		return StandardCharsets.UTF_8.newEncoder().canEncode(id);
	}

}
