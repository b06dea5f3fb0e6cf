package io.github.redislog.delivery;

import java.time.Duration;

/**
 * Whether the worker was asked to stop, and by when it must be done.
 *
 * @author Redis Log contributors
 */
final class ShutdownDeadline {

	private volatile boolean requested;

	private volatile long deadlineNanos;

	void request(Duration timeout) {
		this.deadlineNanos = System.nanoTime() + timeout.toNanos();
		this.requested = true;
	}

	void reset() {
		this.requested = false;
	}

	boolean isRequested() {
		return this.requested;
	}

	boolean hasPassed() {
		return this.requested && System.nanoTime() - this.deadlineNanos >= 0;
	}

	/**
	 * Return how long to pause at most, so that a pause ends by the deadline.
	 * @param pause the pause wanted
	 * @return the pause, shortened to the time left once stopping is requested
	 */
	Duration limit(Duration pause) {
		if (!this.requested) {
			return pause;
		}
		long left = Math.max(0, this.deadlineNanos - System.nanoTime());
		return (pause.toNanos() < left) ? pause : Duration.ofNanos(left);
	}

}
