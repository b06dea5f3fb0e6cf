package io.github.redislog.log4j2;

import io.github.redislog.support.TroubleReporter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Reports the starter's trouble at WARN through a Log4j2 logger of this package, which the
 * application's appenders show and the starter's own appender never publishes (see
 * {@link io.github.redislog.capture.LogEventIntake#EXCLUDED_LOGGERS}), so a report cannot
 * loop back into Redis.
 *
 * @author Redis Log contributors
 */
public final class Log4j2TroubleReporter implements TroubleReporter {

	private final Logger logger = LogManager.getLogger(Log4j2TroubleReporter.class);

	@Override
	public void warn(String message, @Nullable Throwable cause) {
		this.logger.warn("[redis-log] {}", message, cause);
	}

}
