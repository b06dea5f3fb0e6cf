package io.github.redislog.web;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.logging.LogLevel;

/**
 * Which entries a viewer asked for: a minimum level ({@code ?level=WARN}), a
 * {@link LogQuery} ({@code ?q=}) and the instance that logged them ({@code ?instance=}),
 * applied on the server to the replay and to live entries alike. An entry without a level
 * passes no level filter.
 *
 * @author Redis Log contributors
 */
final class LogStreamFilter {

	/**
	 * The filter that passes every entry.
	 */
	static final LogStreamFilter NONE = new LogStreamFilter(null, null, null);

	private final @Nullable LogLevel minimum;

	private final @Nullable LogQuery query;

	private final @Nullable String instance;

	private LogStreamFilter(@Nullable LogLevel minimum, @Nullable LogQuery query, @Nullable String instance) {
		this.minimum = minimum;
		this.query = query;
		this.instance = instance;
	}

	/**
	 * Return the filter of a request's parameters.
	 * @param level the {@code level} parameter, or {@code null}
	 * @param query the {@code q} parameter, or {@code null}
	 * @param instance the {@code instance} parameter, or {@code null}
	 * @return the filter
	 * @throws IllegalArgumentException if a parameter is not valid
	 */
	static LogStreamFilter of(@Nullable String level, @Nullable String query, @Nullable String instance) {
		LogLevel minimum = (level != null && !level.isEmpty()) ? minimum(level) : null;
		LogQuery parsed = (query != null && !query.isEmpty()) ? LogQuery.parse(query) : null;
		String from = (instance != null && !instance.isEmpty()) ? instance : null;
		return (minimum == null && parsed == null && from == null) ? NONE : new LogStreamFilter(minimum, parsed, from);
	}

	private static LogLevel minimum(String level) {
		LogLevel minimum = LogLevel.valueOf(level.toUpperCase(Locale.ROOT));
		if (minimum == LogLevel.OFF) {
			throw new IllegalArgumentException("'OFF' is not a minimum level");
		}
		return minimum;
	}

	/**
	 * Return whether the filter passes every entry.
	 * @return whether it has no condition
	 */
	boolean passesAll() {
		return this.minimum == null && this.query == null && this.instance == null;
	}

	/**
	 * Return whether an entry passes.
	 * @param entry the entry
	 * @return whether the viewer asked for it
	 */
	boolean matches(LogStreamEntry entry) {
		if (passesAll()) {
			return true;
		}
		LogPayloadFields fields = entry.fields();
		if (this.minimum != null && (fields.level() == null || fields.level().compareTo(this.minimum) < 0)) {
			return false;
		}
		if (this.instance != null && !this.instance.equals(fields.instance())) {
			return false;
		}
		return this.query == null || this.query.matches(fields.searchText());
	}

}
