package io.github.redislog.web;

import java.time.Duration;

/**
 * Runs every tick on a thread of its own, never waiting for a client or for Redis:
 * disconnects the clients that took nothing of what waits for them within the send
 * timeout, and at every keepalive queues the keepalive comment and has each viewer's
 * access asked again.
 *
 * @author Redis Log contributors
 */
final class LogStreamWatchdog implements Runnable {

	private final Iterable<LogStreamSubscription> subscriptions;

	private final long keepaliveNanos;

	private final long sendTimeoutNanos;

	private long nextKeepalive;

	LogStreamWatchdog(Iterable<LogStreamSubscription> subscriptions, Duration keepalive, Duration sendTimeout) {
		this.subscriptions = subscriptions;
		this.keepaliveNanos = keepalive.toNanos();
		this.sendTimeoutNanos = sendTimeout.toNanos();
		this.nextKeepalive = System.nanoTime() + this.keepaliveNanos;
	}

	/**
	 * Return how often the watchdog should run: often enough to notice a stalled client
	 * soon after its send timeout, and to keep the keepalive's pace.
	 * @param keepalive the keepalive interval
	 * @param sendTimeout the send timeout
	 * @return the interval between two runs
	 */
	static Duration tick(Duration keepalive, Duration sendTimeout) {
		long millis = Math.min(1000, Math.min(keepalive.toMillis(), sendTimeout.toMillis() / 4));
		return Duration.ofMillis(Math.max(10, millis));
	}

	@Override
	public void run() {
		long now = System.nanoTime();
		boolean keepalive = now - this.nextKeepalive >= 0;
		if (keepalive) {
			this.nextKeepalive = now + this.keepaliveNanos;
		}
		for (LogStreamSubscription subscription : this.subscriptions) {
			try {
				subscription.checkProgress(now, this.sendTimeoutNanos);
				if (keepalive) {
					subscription.keepalive();
				}
			}
			catch (RuntimeException ex) {
				// One stream's trouble must not stop the watchdog, which would never run again.
				subscription.end(StreamEnd.UNAVAILABLE);
			}
		}
	}

}
