package io.github.redislog.web;

/**
 * Characters of logged text that a terminal or a text viewer would obey rather than show:
 * C1 controls (U+0080 to U+009F, a complete OSC among them), bidi overrides and isolates
 * (U+202A to U+202E, U+2066 to U+2069) and the line and paragraph separators (U+2028,
 * U+2029). They are escaped as JSON escapes them, {@code \u009d}.
 *
 * @author Redis Log contributors
 */
final class ControlCharacters {

	private static final char[] HEX = "0123456789abcdef".toCharArray();

	private ControlCharacters() {
	}

	/**
	 * Return whether a character is one to escape even inside JSON text.
	 * @param c the character
	 * @return whether a terminal would obey it
	 */
	static boolean isHidden(char c) {
		return (c >= '\u0080' && c <= '\u009f') || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
				|| c == '\u2028' || c == '\u2029';
	}

	/**
	 * Append the escaped form of a character.
	 * @param text where to append
	 * @param c the character
	 */
	static void appendEscaped(StringBuilder text, char c) {
		text.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xf]).append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
	}

}
