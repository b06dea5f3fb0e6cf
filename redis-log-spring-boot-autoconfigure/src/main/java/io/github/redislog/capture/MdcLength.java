package io.github.redislog.capture;

import java.util.AbstractMap;
import java.util.Map;

/**
 * The characters of an MDC snapshot, for the queue's byte estimate, counted once for each
 * snapshot rather than once for each record. A backend whose MDC is copy-on-write (Logback's)
 * hands every record of a thread the same immutable map until the MDC changes: walking it
 * again for each record cost the logging thread an iterator and an entry wrapper per entry.
 * Each thread remembers the last snapshot it measured, so threads never share or contend;
 * the records that share a snapshot are still charged its characters each, as before.
 * <p>
 * Only for maps that never change: a map mutated after it was measured would keep its old
 * length.
 *
 * @author Redis Log contributors
 */
public final class MdcLength {

	// The last snapshot each thread measured, with its characters; it holds that map, which
	// the thread's MDC or its queued records usually hold as well, until the thread logs with
	// another. Only JDK types, so that a thread of a container outliving the application
	// keeps none of its classes.
	private static final ThreadLocal<Map.Entry<Map<String, String>, Long>> lastMeasured = new ThreadLocal<>();

	private MdcLength() {
	}

	/**
	 * Return the characters of an immutable MDC snapshot's keys and values.
	 * @param mdc the snapshot
	 * @return the characters
	 */
	public static long of(Map<String, String> mdc) {
		if (mdc.isEmpty()) {
			return 0;
		}
		Map.Entry<Map<String, String>, Long> measured = lastMeasured.get();
		if (measured != null && measured.getKey() == mdc) {
			return measured.getValue();
		}
		long chars = MessageText.length(mdc);
		lastMeasured.set(new AbstractMap.SimpleImmutableEntry<>(mdc, chars));
		return chars;
	}

}
