package io.github.redislog.logback;

import io.github.redislog.capture.AppenderRegistration;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;

/**
 * Has the {@link RedisLogAppender} take the root logger's events while the application
 * context runs. When something resets the Logback context (a logging system
 * re-initialisation), the appender is attached again. Where several application contexts
 * run the starter in one JVM, the most recently started one takes the events (see
 * {@link RootAppenderRelay}).
 *
 * @author Redis Log contributors
 */
public final class RedisLogAppenderRegistration extends AppenderRegistration implements LoggerContextListener {

	private final LoggerContext loggerContext;

	private final RedisLogAppender appender;

	public RedisLogAppenderRegistration(LoggerContext loggerContext, RedisLogAppender appender) {
		this.loggerContext = loggerContext;
		this.appender = appender;
	}

	@Override
	public boolean isActive() {
		return RootAppenderRelay.active(this.loggerContext) == this.appender;
	}

	@Override
	protected void attach() {
		this.appender.setContext(this.loggerContext);
		this.appender.start();
		RootAppenderRelay.add(this.loggerContext, this.appender);
		this.loggerContext.addListener(this);
	}

	@Override
	protected void detach() {
		this.loggerContext.removeListener(this);
		RootAppenderRelay.remove(this.loggerContext, this.appender);
		this.appender.stop();
	}

	@Override
	public boolean isResetResistant() {
		return true;
	}

	@Override
	public void onReset(LoggerContext context) {
		if (isRunning()) {
			RootAppenderRelay.reattach(this.loggerContext);
		}
	}

	@Override
	public void onStart(LoggerContext context) {
	}

	@Override
	public void onStop(LoggerContext context) {
	}

	@Override
	public void onLevelChange(Logger logger, Level level) {
	}

}
