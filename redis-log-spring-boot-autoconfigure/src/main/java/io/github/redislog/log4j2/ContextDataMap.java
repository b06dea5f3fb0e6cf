package io.github.redislog.log4j2;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.jspecify.annotations.Nullable;

/**
 * A record's MDC as a read-only view of the event's frozen context data, rather than a
 * copy of it made on the logging thread ({@link ReadOnlyStringMap#toMap()}). Values read as
 * text, as that copy held them. Only the worker walks its entries.
 *
 * @author Redis Log contributors
 */
final class ContextDataMap extends AbstractMap<String, String> {

	private final ReadOnlyStringMap contextData;

	/**
	 * Create a view.
	 * @param contextData frozen context data: nothing changes it any more
	 */
	ContextDataMap(ReadOnlyStringMap contextData) {
		this.contextData = contextData;
	}

	@Override
	public int size() {
		return this.contextData.size();
	}

	@Override
	public boolean isEmpty() {
		return this.contextData.isEmpty();
	}

	@Override
	public boolean containsKey(@Nullable Object key) {
		return key instanceof String name && this.contextData.containsKey(name);
	}

	@Override
	public @Nullable String get(@Nullable Object key) {
		return (key instanceof String name) ? text(this.contextData.getValue(name)) : null;
	}

	@Override
	public void forEach(BiConsumer<? super String, ? super String> action) {
		this.contextData.forEach((key, value) -> action.accept(key, text(value)));
	}

	@Override
	public Set<Map.Entry<String, String>> entrySet() {
		List<Map.Entry<String, String>> entries = new ArrayList<>(this.contextData.size());
		this.contextData.forEach((key, value) -> entries.add(new SimpleImmutableEntry<>(key, text(value))));
		return new AbstractSet<>() {

			@Override
			public Iterator<Map.Entry<String, String>> iterator() {
				return entries.iterator();
			}

			@Override
			public int size() {
				return entries.size();
			}

		};
	}

	/**
	 * Return the characters of the keys and values, for the queue's byte estimate, without
	 * a copy of the entries.
	 * @param contextData the context data
	 * @return the characters
	 */
	static long length(ReadOnlyStringMap contextData) {
		if (contextData.isEmpty()) {
			return 0;
		}
		long[] chars = new long[1];
		contextData.forEach(ContextDataMap::count, chars);
		return chars[0];
	}

	private static void count(String key, @Nullable Object value, long[] chars) {
		chars[0] += key.length() + ((value != null) ? String.valueOf(value).length() : 0);
	}

	static @Nullable String text(@Nullable Object value) {
		return (value != null) ? String.valueOf(value) : null;
	}

}
