package io.github.redislog.web;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The text a viewer searches for: plain text, or a regular expression between slashes
 * ({@code /time(d )?out/}, {@link Pattern java.util.regex} syntax), both matched case
 * insensitively anywhere in a record's message and stack trace. A query is at most
 * {@value #MAX_LENGTH} characters long, and a match may read each character of the text
 * at most {@value #READS_PER_CHARACTER} times (plus {@value #BASE_READS} reads) before it
 * counts as no match, so that no pattern, however it backtracks, can stall the reader.
 *
 * @author Redis Log contributors
 */
final class LogQuery {

	/**
	 * Longest query accepted.
	 */
	static final int MAX_LENGTH = 200;

	/**
	 * Reads of the text a match may make per character of it.
	 */
	static final int READS_PER_CHARACTER = 16;

	/**
	 * Reads of the text a match may make whatever its length.
	 */
	static final int BASE_READS = 4096;

	private final String text;

	private final Pattern pattern;

	private LogQuery(String text, Pattern pattern) {
		this.text = text;
		this.pattern = pattern;
	}

	/**
	 * Return the query of a request's {@code q} parameter.
	 * @param text the parameter's value, not empty
	 * @return the query
	 * @throws IllegalArgumentException if the query is too long or not a valid expression
	 */
	static LogQuery parse(String text) {
		if (text.isEmpty() || text.length() > MAX_LENGTH) {
			throw new IllegalArgumentException("A query has 1 to " + MAX_LENGTH + " characters");
		}
		boolean regex = text.length() > 2 && text.startsWith("/") && text.endsWith("/");
		String expression = regex ? text.substring(1, text.length() - 1) : Pattern.quote(text);
		try {
			return new LogQuery(text, Pattern.compile(expression, Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE));
		}
		catch (PatternSyntaxException ex) {
			throw new IllegalArgumentException("Not a regular expression: " + ex.getDescription(), ex);
		}
	}

	/**
	 * Return whether the text contains a match, within the bound on reads.
	 * @param text the text to search
	 * @return whether a match was found in time
	 */
	boolean matches(String text) {
		try {
			return this.pattern.matcher(new BoundedText(text)).find();
		}
		catch (ReadsExceededException ex) {
			return false;
		}
	}

	@Override
	public String toString() {
		return this.text;
	}

	/**
	 * Text that allows a bounded number of reads, then throws.
	 */
	private static final class BoundedText implements CharSequence {

		private final String text;

		private final int offset;

		private final int length;

		private final int[] readsLeft;

		BoundedText(String text) {
			this(text, 0, text.length(),
					new int[] { (int) Math.min(Integer.MAX_VALUE, BASE_READS + (long) READS_PER_CHARACTER * text.length()) });
		}

		private BoundedText(String text, int offset, int length, int[] readsLeft) {
			this.text = text;
			this.offset = offset;
			this.length = length;
			this.readsLeft = readsLeft;
		}

		@Override
		public char charAt(int index) {
			if (--this.readsLeft[0] < 0) {
				throw new ReadsExceededException();
			}
			return this.text.charAt(this.offset + index);
		}

		@Override
		public int length() {
			return this.length;
		}

		@Override
		public CharSequence subSequence(int start, int end) {
			return new BoundedText(this.text, this.offset + start, end - start, this.readsLeft);
		}

		@Override
		public String toString() {
			return this.text.substring(this.offset, this.offset + this.length);
		}

	}

	private static final class ReadsExceededException extends RuntimeException {

		ReadsExceededException() {
			super(null, null, false, false);
		}

	}

}
