package io.github.redislog.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import org.springframework.util.Assert;

/**
 * Turns a context id, which may hold user-controlled text, into the safe form used in
 * channel names and stream keys. The mapping is injective, so no id can reach another
 * id's channel:
 * <ul>
 * <li>{@code A-Z a-z 0-9 . _ @ -} are kept; every other character, {@code %} included,
 * is percent-encoded as its UTF-8 bytes (a lone surrogate as its three-byte
 * generalized UTF-8 form), so the result holds no glob characters ({@code * ? [ ]}), no
 * {@code :} and no cluster hash tag braces;</li>
 * <li>an id equal to the global channel's name has its first character encoded
 * ({@code global} becomes {@code %67lobal}), which plain encoding never produces;</li>
 * <li>a result longer than {@value #MAX_LENGTH} characters keeps its first
 * {@value #KEPT_PREFIX_LENGTH} characters, then {@code ~} and the SHA-256 of the whole
 * encoded id in hex; {@code ~} appears nowhere else.</li>
 * </ul>
 *
 * @author Redis Log contributors
 */
public final class ContextIdEncoder {

	/**
	 * Longest encoded id.
	 */
	public static final int MAX_LENGTH = 200;

	/**
	 * Characters of an over-long encoded id kept before its hash.
	 */
	public static final int KEPT_PREFIX_LENGTH = MAX_LENGTH - 65;

	private static final HexFormat HEX = HexFormat.of().withUpperCase();

	private final String reservedName;

	/**
	 * Create an encoder.
	 * @param reservedName the global channel's name, which no context id may produce
	 */
	public ContextIdEncoder(String reservedName) {
		Assert.isTrue(isSafe(reservedName), "'reservedName' must be non-empty and made of A-Z a-z 0-9 . _ @ -");
		this.reservedName = reservedName;
	}

	/**
	 * Encode a context id.
	 * @param contextId the raw id, not empty
	 * @return the safe, injective form of the id
	 */
	public String encode(String contextId) {
		Assert.hasLength(contextId, "'contextId' must not be empty");
		StringBuilder encoded = new StringBuilder(contextId.length() + 16);
		contextId.codePoints().forEach((codePoint) -> append(encoded, codePoint));
		String result = encoded.toString();
		if (result.equals(this.reservedName)) {
			result = "%" + HEX.toHexDigits((byte) result.charAt(0)) + result.substring(1);
		}
		return (result.length() > MAX_LENGTH) ? shorten(result) : result;
	}

	/**
	 * Return whether the given text is made only of characters that are kept as they are.
	 * @param text the text
	 * @return whether the text is non-empty and needs no encoding
	 */
	public static boolean isSafe(String text) {
		return !text.isEmpty() && text.chars().allMatch(ContextIdEncoder::isKept);
	}

	private static boolean isKept(int c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_'
				|| c == '@' || c == '-';
	}

	private static void append(StringBuilder encoded, int codePoint) {
		if (isKept(codePoint)) {
			encoded.append((char) codePoint);
			return;
		}
		for (byte b : utf8(codePoint)) {
			encoded.append('%').append(HEX.toHexDigits(b));
		}
	}

	// Generalized UTF-8: also defined for lone surrogates, which String.getBytes would
	// replace with '?' (making two different ids collide).
	private static byte[] utf8(int codePoint) {
		if (codePoint < 0x80) {
			return new byte[] { (byte) codePoint };
		}
		if (codePoint < 0x800) {
			return new byte[] { (byte) (0xC0 | (codePoint >> 6)), continuation(codePoint) };
		}
		if (codePoint < 0x10000) {
			return new byte[] { (byte) (0xE0 | (codePoint >> 12)), continuation(codePoint >> 6),
					continuation(codePoint) };
		}
		return new byte[] { (byte) (0xF0 | (codePoint >> 18)), continuation(codePoint >> 12),
				continuation(codePoint >> 6), continuation(codePoint) };
	}

	private static byte continuation(int bits) {
		return (byte) (0x80 | (bits & 0x3F));
	}

	private static String shorten(String encoded) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(encoded.getBytes(StandardCharsets.US_ASCII));
			return encoded.substring(0, KEPT_PREFIX_LENGTH) + "~" + HexFormat.of().formatHex(hash);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is required of every Java platform", ex);
		}
	}

}
