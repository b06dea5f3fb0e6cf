package io.github.redislog.capture;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The text rules every backend's capture applies alike: a laid-out record loses its trailing
 * line breaks, and text over the maximum length is cut with a visible marker.
 *
 * @author Redis Log contributors
 */
public final class MessageText {

	// The record and the headers of its strings, maps and arrays.
	private static final long RECORD_OVERHEAD_BYTES = 384;

	private final int maxLength;

	/**
	 * Create an instance.
	 * @param maxLength the longest message and stack trace kept, in characters
	 */
	public MessageText(int maxLength) {
		this.maxLength = maxLength;
	}

	/**
	 * Return whether a text is longer than the maximum.
	 * @param text the text, or {@code null}
	 * @return whether it would be truncated
	 */
	public boolean isOversized(@Nullable String text) {
		return length(text) > this.maxLength;
	}

	/**
	 * Return a text cut to the maximum length, with a marker that says how much was cut.
	 * @param text the text
	 * @return the text, or its truncated form
	 */
	public String truncate(String text) {
		if (text.length() <= this.maxLength) {
			return text;
		}
		int end = this.maxLength;
		if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + "... [truncated " + (text.length() - end) + " characters]";
	}

	/**
	 * Return a laid-out record as the {@code message} field holds it: without trailing line
	 * breaks, truncated if oversized.
	 * @param laidOut the output of the backend's layout
	 * @return the message
	 */
	public String message(String laidOut) {
		return truncate(document(laidOut));
	}

	/**
	 * Return a record laid out by a structured format without its trailing line break. The
	 * document is never cut, which would break it: its message is truncated before the
	 * layout instead.
	 * @param laidOut the output of the backend's structured layout
	 * @return the document
	 */
	public String document(String laidOut) {
		return laidOut.substring(0, endWithoutLineBreaks(laidOut));
	}

	/**
	 * Return where a laid-out text ends without its trailing line breaks.
	 * @param laidOut the text
	 * @return the length of the text without them
	 */
	static int endWithoutLineBreaks(CharSequence laidOut) {
		int end = laidOut.length();
		while (end > 0 && (laidOut.charAt(end - 1) == '\n' || laidOut.charAt(end - 1) == '\r')) {
			end--;
		}
		return end;
	}

	/**
	 * Make a layout's error a failure of its record only: on the worker thread an error would
	 * end delivery for good. Only the JVM's own trouble (out of memory, internal errors) is
	 * left alone.
	 * @param error what the layout threw
	 * @return the exception to throw instead, which the worker counts as a serialization drop
	 */
	public static IllegalStateException layoutFailure(Error error) {
		if (error instanceof VirtualMachineError && !(error instanceof StackOverflowError)) {
			throw error;
		}
		return new IllegalStateException("Cannot lay out the log record", error);
	}

	/**
	 * Estimate the memory a record holds until it is written.
	 * @param chars the characters of its strings
	 * @return the estimated bytes
	 */
	public static long estimatedBytes(long chars) {
		return RECORD_OVERHEAD_BYTES + 2 * chars;
	}

	/**
	 * Return the characters of a captured MDC, counted for each record that holds it: where
	 * records share one, it is overestimated, never under.
	 * @param mdc the MDC
	 * @return the characters of its keys and values
	 */
	public static long length(Map<String, String> mdc) {
		long chars = 0;
		for (Map.Entry<String, String> entry : mdc.entrySet()) {
			chars += entry.getKey().length() + length(entry.getValue());
		}
		return chars;
	}

	/**
	 * Return the length of a text, or zero.
	 * @param text the text, or {@code null}
	 * @return its length
	 */
	public static int length(@Nullable String text) {
		return (text != null) ? text.length() : 0;
	}

}
