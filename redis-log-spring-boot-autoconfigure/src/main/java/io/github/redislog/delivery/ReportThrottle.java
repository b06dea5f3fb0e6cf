package io.github.redislog.delivery;

import java.time.Duration;

/**
 * When a report about repeated trouble is due: the first at once, then at most one per
 * interval, until {@link #reset()}. Used by the worker thread only.
 *
 * @author Redis Log contributors
 */
final class ReportThrottle {

	private final long intervalNanos;

	private long lastReportNanos;

	private boolean reported;

	ReportThrottle(Duration interval) {
		this.intervalNanos = interval.toNanos();
	}

	/**
	 * Return whether to report now, and if so count this as the last report.
	 * @return whether a report is due
	 */
	boolean isDue() {
		long now = System.nanoTime();
		if (this.reported && now - this.lastReportNanos < this.intervalNanos) {
			return false;
		}
		this.reported = true;
		this.lastReportNanos = now;
		return true;
	}

	/**
	 * Make the next report due at once, for example when the trouble is over.
	 */
	void reset() {
		this.reported = false;
	}

}
