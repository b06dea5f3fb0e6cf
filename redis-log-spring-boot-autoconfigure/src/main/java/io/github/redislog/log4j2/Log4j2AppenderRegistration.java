package io.github.redislog.log4j2;

import io.github.redislog.capture.AppenderRegistration;

import org.apache.logging.log4j.core.LoggerContext;

/**
 * Has the starter's Log4j2 appender take the events of the logger context while the
 * application context runs.
 *
 * @author Redis Log contributors
 */
public final class Log4j2AppenderRegistration extends AppenderRegistration {

	private final LoggerContext loggerContext;

	private final Log4j2EventSink sink;

	public Log4j2AppenderRegistration(LoggerContext loggerContext, Log4j2EventSink sink) {
		this.loggerContext = loggerContext;
		this.sink = sink;
	}

	@Override
	public boolean isActive() {
		return RedisLog4j2Appender.active(this.loggerContext) == this.sink;
	}

	@Override
	protected void attach() {
		RedisLog4j2Appender.add(this.loggerContext, this.sink);
	}

	@Override
	protected void detach() {
		RedisLog4j2Appender.remove(this.loggerContext, this.sink);
	}

}
