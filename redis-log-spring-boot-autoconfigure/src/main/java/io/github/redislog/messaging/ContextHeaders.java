package io.github.redislog.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redislog.RedisLogContext;
import org.jspecify.annotations.Nullable;

/**
 * The message headers that carry a log context from the application that sends a message
 * to the one that handles it, signed, so that only the starter can choose the stream the
 * handling code logs into: {@value #CONTEXT} holds
 * {@code {context}.{issued}.{signature}}, the context id, when it was written (epoch
 * seconds) and an HMAC-SHA256 over context, owner and that time; {@value #OWNER} holds the
 * owner (the user who started the job). An id made of {@code A-Z a-z 0-9 . _ @ -} is
 * written as it is; any other id as {@code ~} and the unpadded base64url form of its UTF-8
 * bytes, so that every value fits in a header and in a W3C {@code baggage} entry (where
 * Micrometer Tracing carries the same two fields), and comes out unchanged whether a
 * tracing library percent-encodes baggage values (OpenTelemetry) or not (Brave).
 * <p>
 * A context is restored only when its signature verifies and it is younger than the
 * maximum age; any other is counted in {@link RefusedContexts} and the message is handled
 * in no context. For a transport without the starter's own support, write them when
 * sending and restore them around the handling code, with the {@code ContextHeaders} bean:
 *
 * <pre class="code">
 * contextHeaders.write(RedisLogContext.capture(), headers::put);          // sending
 *
 * try (RedisLogContext.Scope scope = RedisLogContext.restore(contextHeaders.read(headers::get))) {
 *     handle(message);                                                    // receiving
 * }
 * </pre>
 *
 * @author Redis Log contributors
 */
public final class ContextHeaders {

	/**
	 * Header with the signed context id.
	 */
	public static final String CONTEXT = "redis-log-context";

	/**
	 * Header with the owner of the context.
	 */
	public static final String OWNER = "redis-log-owner";

	// An encoded id ends with no signature of its own: the last two parts are the time
	// and the 32 bytes of the HMAC.
	private static final Pattern SIGNED = Pattern.compile("(.+)\\.([0-9]{1,12})\\.([A-Za-z0-9_-]{43})");

	private static final String SIGNED_DATA_VERSION = "redis-log-context/1";

	private final HandOffSignature signature;

	private final Duration maxAge;

	private final RefusedContexts refused;

	private final Clock clock;

	/**
	 * Create headers that sign with the given signature.
	 * @param signature signs and verifies
	 * @param maxAge how long after it was written a context is restored
	 * @param refused counts the contexts that are not
	 */
	public ContextHeaders(HandOffSignature signature, Duration maxAge, RefusedContexts refused) {
		this(signature, maxAge, refused, Clock.systemUTC());
	}

	ContextHeaders(HandOffSignature signature, Duration maxAge, RefusedContexts refused, Clock clock) {
		this.signature = signature;
		this.maxAge = maxAge;
		this.refused = refused;
		this.clock = clock;
	}

	/**
	 * Write a context to a message's headers.
	 * @param context the context, typically {@link RedisLogContext#capture()}; nothing is
	 * written for {@code null}, for an id with a lone surrogate (which has no UTF-8 form),
	 * nor while the key is not known, and an owner with a lone surrogate is left out
	 * @param headers sets one header, given its name and value
	 */
	public void write(RedisLogContext.@Nullable Snapshot context, BiConsumer<String, String> headers) {
		if (context == null || !ContextIds.isWellFormed(context.contextId())) {
			return;
		}
		String contextId = ContextIds.encode(context.contextId());
		String owner = context.ownerId();
		String ownerId = (owner != null && ContextIds.isWellFormed(owner)) ? ContextIds.encode(owner) : null;
		long issued = this.clock.instant().getEpochSecond();
		String signature = this.signature.sign(signedData(contextId, ownerId, issued));
		if (signature != null) {
			headers.accept(CONTEXT, contextId + "." + issued + "." + signature);
			if (ownerId != null) {
				headers.accept(OWNER, ownerId);
			}
		}
	}

	/**
	 * Read a context from a message's headers.
	 * @param headers returns a header's value (a {@code String}, UTF-8 bytes or anything
	 * whose {@code toString()} is the value), or {@code null} when absent
	 * @return the context, or {@code null} when the message carries none or one that is
	 * refused
	 */
	public RedisLogContext.@Nullable Snapshot read(Function<String, @Nullable Object> headers) {
		String context = text(headers.apply(CONTEXT));
		if (context == null) {
			return null;
		}
		String owner = text(headers.apply(OWNER));
		Matcher signed = SIGNED.matcher(context);
		if (!signed.matches()) {
			return refuse((ContextIds.decode(context) != null) ? RefusalReason.MISSING_SIGNATURE
					: RefusalReason.MALFORMED, context);
		}
		String contextId = ContextIds.decode(signed.group(1));
		String ownerId = (owner != null) ? ContextIds.decode(owner) : null;
		if (contextId == null || (owner != null && ownerId == null)) {
			return refuse(RefusalReason.MALFORMED, context);
		}
		long issued = Long.parseLong(signed.group(2));
		if (!this.signature.verifies(signedData(signed.group(1), owner, issued), signed.group(3))) {
			return refuse(RefusalReason.BAD_SIGNATURE, context);
		}
		// Either way: the clocks of sender and receiver may differ.
		if (Math.abs(this.clock.instant().getEpochSecond() - issued) > this.maxAge.toSeconds()) {
			return refuse(RefusalReason.EXPIRED, context);
		}
		return new RedisLogContext.Snapshot(contextId, ownerId);
	}

	private RedisLogContext.@Nullable Snapshot refuse(RefusalReason reason, String context) {
		this.refused.refused(reason, context);
		return null;
	}

	// The encoded ids hold no line break, so each text of the three has one meaning.
	private static String signedData(String contextId, @Nullable String ownerId, long issued) {
		return SIGNED_DATA_VERSION + "\n" + contextId + "\n" + ((ownerId != null) ? ownerId : "") + "\n" + issued;
	}

	private static @Nullable String text(@Nullable Object value) {
		String text = (value instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
				: (value != null) ? value.toString() : null;
		return (text != null && !text.isEmpty()) ? text : null;
	}

}
