package io.github.redislog.log4j2;

import io.github.redislog.delivery.RedisLogWorker;
import org.apache.logging.log4j.core.LoggerContext;

import org.springframework.context.SmartLifecycle;

/**
 * Has the starter's Log4j2 appender take the events of the logger context for this
 * application context while it runs: it starts just after the worker and stops just before
 * it. Where several application contexts run the starter in one JVM, the most recently
 * started one takes the events.
 *
 * @author Redis Log contributors
 */
public final class Log4j2AppenderRegistration implements SmartLifecycle {

	private final LoggerContext loggerContext;

	private final Log4j2EventSink sink;

	private volatile boolean running;

	public Log4j2AppenderRegistration(LoggerContext loggerContext, Log4j2EventSink sink) {
		this.loggerContext = loggerContext;
		this.sink = sink;
	}

	@Override
	public void start() {
		if (!this.running) {
			RedisLog4j2Appender.add(this.loggerContext, this.sink);
			this.running = true;
		}
	}

	@Override
	public void stop() {
		if (this.running) {
			this.running = false;
			RedisLog4j2Appender.remove(this.loggerContext, this.sink);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return RedisLogWorker.PHASE + 1;
	}

	/**
	 * Return whether this registration's sink takes the events: of the application contexts
	 * that run the starter in the JVM, its own is the most recently started.
	 * @return whether the events go to this sink
	 */
	public boolean isActive() {
		return RedisLog4j2Appender.active(this.loggerContext) == this.sink;
	}

}
