package io.github.redislog.capture;

import io.github.redislog.delivery.RedisLogWorker;

import org.springframework.context.SmartLifecycle;

/**
 * Has the starter's appender take the logging backend's events while the application
 * context runs: it starts just after the {@link RedisLogWorker} and stops just before it.
 * Where several application contexts run the starter in one JVM, the most recently started
 * one takes the events.
 *
 * @author Redis Log contributors
 */
public abstract class AppenderRegistration implements SmartLifecycle {

	private volatile boolean running;

	@Override
	public final void start() {
		if (!this.running) {
			attach();
			this.running = true;
		}
	}

	@Override
	public final void stop() {
		if (this.running) {
			this.running = false;
			detach();
		}
	}

	@Override
	public final boolean isRunning() {
		return this.running;
	}

	@Override
	public final int getPhase() {
		return RedisLogWorker.PHASE + 1;
	}

	/**
	 * Return whether this registration's appender takes the events: of the application
	 * contexts that run the starter in the JVM, its own is the most recently started.
	 * @return whether the events go to this registration's appender
	 */
	public abstract boolean isActive();

	/**
	 * Have the appender take the events.
	 */
	protected abstract void attach();

	/**
	 * Stop the appender from taking the events; the one of the application context started
	 * before takes over.
	 */
	protected abstract void detach();

}
