package io.github.redislog.logback;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;

/**
 * An event's SLF4J key-value pairs as they were when it was logged: the worker lays them out
 * later ({@code %kvp}, the structured formats), when a mutable value may have changed. A
 * value that cannot change (a string, a number, a boolean, an enum) is kept as it is, so a
 * structured format still writes a number as a number; any other is kept as its text.
 *
 * @author Redis Log contributors
 */
final class FrozenKeyValues {

	private FrozenKeyValues() {
	}

	/**
	 * Freeze an event's key-value pairs.
	 * @param pairs the event's pairs, or {@code null}
	 * @return the frozen pairs, or {@code null} if the event had none
	 */
	static @Nullable List<KeyValuePair> of(@Nullable List<KeyValuePair> pairs) {
		if (pairs == null || pairs.isEmpty()) {
			return pairs;
		}
		List<KeyValuePair> frozen = new ArrayList<>(pairs.size());
		for (KeyValuePair pair : pairs) {
			frozen.add(isImmutable(pair.value) ? pair : new KeyValuePair(pair.key, text(pair.value)));
		}
		return frozen;
	}

	/**
	 * Return the characters the frozen pairs hold, for the queue's byte bound.
	 * @param pairs frozen pairs, or {@code null}
	 * @return the characters of their keys and values
	 */
	static long length(@Nullable List<KeyValuePair> pairs) {
		long chars = 0;
		if (pairs != null) {
			for (KeyValuePair pair : pairs) {
				chars += String.valueOf(pair.key).length() + String.valueOf(pair.value).length();
			}
		}
		return chars;
	}

	private static boolean isImmutable(@Nullable Object value) {
		return value == null || value instanceof String || value instanceof Boolean || value instanceof Character
				|| value instanceof Enum<?> || value instanceof Integer || value instanceof Long
				|| value instanceof Double || value instanceof Float || value instanceof Short || value instanceof Byte;
	}

	// As SLF4J renders an argument whose toString() throws.
	private static String text(Object value) {
		try {
			return String.valueOf(value);
		}
		catch (RuntimeException ex) {
			return "[FAILED toString()]";
		}
	}

}
