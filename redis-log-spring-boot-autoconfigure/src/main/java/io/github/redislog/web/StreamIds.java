package io.github.redislog.web;

import java.util.regex.Pattern;

/**
 * Redis Stream entry ids ({@code {milliseconds}-{sequence}}), compared as numbers.
 * <p>
 * An id a client sends is accepted when both parts fit a signed 64-bit number: Redis' own
 * ids (milliseconds since the epoch, a small sequence) always do, and the largest id Redis
 * allows, which cannot start an exclusive range, never does.
 *
 * @author Redis Log contributors
 */
final class StreamIds {

	/**
	 * The id before every entry.
	 */
	static final String ZERO = "0-0";

	private static final Pattern ID = Pattern.compile("[0-9]{1,19}-[0-9]{1,19}");

	private StreamIds() {
	}

	/**
	 * Return whether the text is a complete entry id that a client may resume after.
	 * @param text the text
	 * @return whether it is an id
	 */
	static boolean isValid(String text) {
		if (!ID.matcher(text).matches()) {
			return false;
		}
		try {
			StreamId.parse(text);
			return true;
		}
		catch (NumberFormatException ex) {
			return false;
		}
	}

	/**
	 * Compare two valid ids in stream order.
	 * @param left an id
	 * @param right another id
	 * @return a negative number, zero or a positive number as {@code left} comes before,
	 * is or comes after {@code right}
	 */
	static int compare(String left, String right) {
		return StreamId.parse(left).compareTo(StreamId.parse(right));
	}

	/**
	 * Return the greatest id before a valid id, so that a range that starts after it
	 * includes the id itself.
	 * @param id a valid id
	 * @return the id before it, or {@link #ZERO} for {@code 0-0}
	 */
	static String before(String id) {
		StreamId parsed = StreamId.parse(id);
		if (parsed.sequence() > 0) {
			return parsed.millis() + "-" + (parsed.sequence() - 1);
		}
		return (parsed.millis() > 0) ? (parsed.millis() - 1) + "-" + Long.MAX_VALUE : ZERO;
	}

	/**
	 * Return the earlier of two valid ids.
	 * @param left an id
	 * @param right another id
	 * @return the one that comes first in stream order
	 */
	static String min(String left, String right) {
		return (compare(left, right) <= 0) ? left : right;
	}

}
