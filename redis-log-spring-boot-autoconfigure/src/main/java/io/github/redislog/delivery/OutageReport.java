package io.github.redislog.delivery;

import java.time.Duration;

import org.springframework.core.NestedExceptionUtils;

/**
 * Reports the worker's trouble with Redis without flooding: the first failure, then at
 * most one summary every {@value #SUMMARY_INTERVAL_SECONDS} seconds, and the recovery.
 *
 * @author Redis Log contributors
 */
final class OutageReport {

	static final long SUMMARY_INTERVAL_SECONDS = 30;

	private final TroubleReporter reporter;

	private long failures;

	private long lastReportNanos;

	OutageReport(TroubleReporter reporter) {
		this.reporter = reporter;
	}

	void failed(RuntimeException ex, long waitingRecords) {
		this.failures++;
		long now = System.nanoTime();
		if (this.failures == 1 || now - this.lastReportNanos >= Duration.ofSeconds(SUMMARY_INTERVAL_SECONDS).toNanos()) {
			this.lastReportNanos = now;
			Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
			// The stack trace once, with the first failure; summaries stay one line.
			this.reporter.warn("Cannot write log records to Redis (" + this.failures + " failed attempt(s) so far: "
					+ cause + "); " + waitingRecords + " record(s) wait for delivery and will be retried",
					(this.failures == 1) ? ex : null);
		}
	}

	void succeeded() {
		if (this.failures > 0) {
			this.reporter.warn("Writing log records to Redis works again after " + this.failures
					+ " failed attempt(s)", null);
			this.failures = 0;
		}
	}

	void shutdownTimedOut(Duration timeout, int droppedRecords) {
		this.reporter.warn("Log delivery to Redis did not finish within the shutdown timeout of " + timeout + "; "
				+ droppedRecords + " queued record(s) were dropped and the batch being written may be lost", null);
	}

}
