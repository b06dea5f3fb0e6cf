package io.github.redislog.logback;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import io.github.redislog.delivery.RedisLogWorker;

import org.springframework.context.SmartLifecycle;

/**
 * Has the {@link RedisLogAppender} take the root logger's events while the application
 * context runs: it starts just after the worker and stops just before it. When something
 * resets the Logback context (a logging system re-initialisation), the appender is attached
 * again. Where several application contexts run the starter in one JVM, the most recently
 * started one takes the events (see {@link RootAppenderRelay}).
 *
 * @author Redis Log contributors
 */
public final class RedisLogAppenderRegistration implements SmartLifecycle, LoggerContextListener {

	private final LoggerContext loggerContext;

	private final RedisLogAppender appender;

	private volatile boolean running;

	public RedisLogAppenderRegistration(LoggerContext loggerContext, RedisLogAppender appender) {
		this.loggerContext = loggerContext;
		this.appender = appender;
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		attach();
		this.loggerContext.addListener(this);
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		this.loggerContext.removeListener(this);
		RootAppenderRelay.remove(this.loggerContext, this.appender);
		this.appender.stop();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return RedisLogWorker.PHASE + 1;
	}

	@Override
	public boolean isResetResistant() {
		return true;
	}

	@Override
	public void onReset(LoggerContext context) {
		if (this.running) {
			RootAppenderRelay.reattach(this.loggerContext);
		}
	}

	/**
	 * Return whether this registration's appender takes the events: of the application
	 * contexts that run the starter in the JVM, its own is the most recently started.
	 * @return whether the events go to this appender
	 */
	public boolean isActive() {
		return RootAppenderRelay.active(this.loggerContext) == this.appender;
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

	private void attach() {
		this.appender.setContext(this.loggerContext);
		this.appender.start();
		RootAppenderRelay.add(this.loggerContext, this.appender);
	}

}
