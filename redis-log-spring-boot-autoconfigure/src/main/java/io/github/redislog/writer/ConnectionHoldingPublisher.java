package io.github.redislog.writer;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * A publisher that keeps one connection from one batch to the next: opened by the first
 * batch on the worker thread, replaced after a failure, and closed when the application
 * stops, after the worker has written its last batch and before the connection factory
 * shuts down.
 *
 * @param <C> the type of connection
 * @author Redis Log contributors
 */
public abstract class ConnectionHoldingPublisher<C> implements RedisLogPublisher, SmartLifecycle {

	/**
	 * Lifecycle phase: just below the delivery worker's, so the connection closes after the
	 * worker's last batch, and above the Redis connection factory's (0).
	 */
	public static final int PHASE = 1023;

	// Guards the hand-over of a new connection against stop() on another thread.
	private final Object lifecycleMonitor = new Object();

	// Used by the worker thread only; volatile for stop() at shutdown.
	private volatile @Nullable C connection;

	private volatile boolean running;

	private boolean stopped;

	@Override
	public final void publish(LogBatch batch) {
		publish(batch, () -> {
		});
	}

	// Abstract again: the interface's default would call publish(LogBatch), which calls this.
	@Override
	public abstract void publish(LogBatch batch, Runnable whileRedisWorks);

	/**
	 * Return the held connection, opening one if there is none or the held one is no
	 * longer {@link #isUsable usable}.
	 * @return the connection
	 */
	protected final C connection() {
		C held = this.connection;
		if (held != null && !isUsable(held)) {
			discard(held);
			held = null;
		}
		if (held == null) {
			held = open();
			synchronized (this.lifecycleMonitor) {
				if (!this.stopped) {
					this.connection = held;
					return held;
				}
			}
			// Stopped while connecting: nobody would close it.
			discard(held);
			throw new RedisConnectionFailureException("The publisher has been stopped");
		}
		return held;
	}

	/**
	 * Stop holding a connection and close it, for example after it failed.
	 * @param connection the connection
	 */
	protected final void discard(C connection) {
		this.connection = null;
		try {
			close(connection);
		}
		catch (Exception ex) {
			// Already broken: nothing left to release.
		}
	}

	/**
	 * Open a connection.
	 * @return the connection
	 * @throws RuntimeException if Redis cannot be reached
	 */
	protected abstract C open();

	/**
	 * Return whether a held connection may take the next batch.
	 * @param connection the connection
	 * @return whether to keep using it
	 */
	protected boolean isUsable(C connection) {
		return true;
	}

	/**
	 * Close a connection.
	 * @param connection the connection
	 * @throws Exception if closing fails; the connection is given up anyway
	 */
	protected abstract void close(C connection) throws Exception;

	@Override
	public void start() {
		synchronized (this.lifecycleMonitor) {
			this.stopped = false;
		}
		this.running = true;
	}

	/**
	 * Close the connection the publisher holds, and any that a batch is opening.
	 */
	@Override
	public void stop() {
		this.running = false;
		C held;
		synchronized (this.lifecycleMonitor) {
			this.stopped = true;
			held = this.connection;
		}
		if (held != null) {
			discard(held);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
