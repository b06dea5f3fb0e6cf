package io.github.redislog.capture;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Decides whether a logger is one of the excluded loggers or below one, once per logger
 * name: a log call then costs one map lookup instead of a comparison with each prefix.
 *
 * @author Redis Log contributors
 */
public final class ExcludedLoggers {

	/**
	 * Most logger names whose decision is kept. An application has as many names as
	 * loggers, which Logback keeps as well; the bound is for one that makes up a logger
	 * name per call, whose later names are then decided each time.
	 */
	static final int MAX_CACHED_NAMES = 10_000;

	private final List<String> prefixes;

	private final ConcurrentMap<String, Boolean> decisions = new ConcurrentHashMap<>();

	/**
	 * Create an instance.
	 * @param prefixes the names of the excluded loggers
	 */
	public ExcludedLoggers(List<String> prefixes) {
		this.prefixes = List.copyOf(prefixes);
	}

	/**
	 * Return whether the given logger is excluded.
	 * @param loggerName the logger name
	 * @return whether the logger or one of its ancestors is excluded
	 */
	public boolean isExcluded(String loggerName) {
		Boolean excluded = this.decisions.get(loggerName);
		if (excluded == null) {
			excluded = matches(loggerName);
			if (this.decisions.size() < MAX_CACHED_NAMES) {
				this.decisions.put(loggerName, excluded);
			}
		}
		return excluded;
	}

	/**
	 * Return how many logger names have their decision kept.
	 * @return the number of names
	 */
	int cachedNames() {
		return this.decisions.size();
	}

	private boolean matches(String loggerName) {
		for (String prefix : this.prefixes) {
			if (loggerName.startsWith(prefix)
					&& (loggerName.length() == prefix.length() || loggerName.charAt(prefix.length()) == '.')) {
				return true;
			}
		}
		return false;
	}

}
