package io.github.redislog.web;

import java.util.regex.Pattern;

/**
 * Redis Stream entry ids ({@code {milliseconds}-{sequence}}), compared as numbers.
 *
 * @author Redis Log contributors
 */
final class StreamIds {

	/**
	 * The id before every entry.
	 */
	static final String ZERO = "0-0";

	private static final Pattern ID = Pattern.compile("[0-9]{1,20}-[0-9]{1,20}");

	private StreamIds() {
	}

	/**
	 * Return whether the text is a complete entry id within Redis' range.
	 * @param text the text
	 * @return whether it is an id
	 */
	static boolean isValid(String text) {
		if (!ID.matcher(text).matches()) {
			return false;
		}
		try {
			parse(text);
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
		long[] l = parse(left);
		long[] r = parse(right);
		int millis = Long.compareUnsigned(l[0], r[0]);
		return (millis != 0) ? millis : Long.compareUnsigned(l[1], r[1]);
	}

	private static long[] parse(String id) {
		int dash = id.indexOf('-');
		return new long[] { Long.parseUnsignedLong(id.substring(0, dash)),
				Long.parseUnsignedLong(id.substring(dash + 1)) };
	}

}
