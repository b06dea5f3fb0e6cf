package io.github.redislog.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import io.github.redislog.wire.ContextIdEncoder;

import org.jspecify.annotations.Nullable;

/**
 * Writes a context or owner id in the alphabet that both tracing bridges keep in baggage:
 * an id made of {@code A-Z a-z 0-9 . _ @ -} as it is, any other as {@code ~} and the
 * unpadded base64url form of its UTF-8 bytes.
 *
 * @author Redis Log contributors
 */
final class ContextIds {

	// Starts the encoded form of an id, and no id written as it is.
	private static final String ENCODED = "~";

	private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();

	private ContextIds() {
	}

	/**
	 * Return whether an id can be written: one with a lone surrogate has no UTF-8 form, and
	 * encoding would turn it into '?', which is another user's id.
	 * @param id the id
	 * @return whether the id has a UTF-8 form
	 */
	static boolean isWellFormed(String id) {
		return StandardCharsets.UTF_8.newEncoder().canEncode(id);
	}

	static String encode(String id) {
		if (ContextIdEncoder.isSafe(id)) {
			return id;
		}
		return ENCODED + BASE64.encodeToString(id.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Return the id a text is the encoded form of: only the form {@link #encode} writes,
	 * so that each id has one text.
	 * @param text the text
	 * @return the id, or {@code null} when the text is no encoded id
	 */
	static @Nullable String decode(String text) {
		if (text.isEmpty()) {
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

}
