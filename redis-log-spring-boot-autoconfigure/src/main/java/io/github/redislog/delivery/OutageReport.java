package io.github.redislog.delivery;

import java.time.Duration;

import io.github.redislog.support.TroubleReporter;

import org.jspecify.annotations.Nullable;

/**
 * Reports the worker's trouble without flooding: the first failure to reach Redis, then at
 * most one summary every {@value #SUMMARY_INTERVAL_SECONDS} seconds, and the recovery; a
 * shutdown that ran out of time; a worker thread that died.
 *
 * @author Redis Log contributors
 */
final class OutageReport {

	static final long SUMMARY_INTERVAL_SECONDS = 30;

	private final TroubleReporter reporter;

	private final ReportThrottle throttle = new ReportThrottle(Duration.ofSeconds(SUMMARY_INTERVAL_SECONDS));

	private long failures;

	OutageReport(TroubleReporter reporter) {
		this.reporter = reporter;
	}

	void failed(String error, @Nullable Throwable failure, long waitingRecords) {
		this.failures++;
		if (this.throttle.isDue()) {
			// The stack trace once, with the first failure; summaries stay one line.
			this.reporter.warn("Cannot write log records to Redis (" + this.failures + " failed attempt(s) so far: "
					+ error + "); " + waitingRecords + " record(s) wait for delivery and will be retried",
					(this.failures == 1) ? failure : null);
		}
	}

	void succeeded() {
		if (this.failures > 0) {
			this.reporter.warn("Writing log records to Redis works again after " + this.failures
					+ " failed attempt(s)", null);
			this.failures = 0;
			this.throttle.reset();
		}
	}

	void shutdownTimedOut(Duration timeout, long droppedRecords) {
		this.reporter.warn("Log delivery to Redis did not finish within the shutdown timeout of " + timeout + "; "
				+ droppedRecords + " record(s) were dropped", null);
	}

	void workerDidNotStop(Duration timeout) {
		this.reporter.warn("The log delivery worker did not stop within the shutdown timeout of " + timeout
				+ " and an interruption; it drops the records it still holds when its write to Redis returns", null);
	}

	void workerDied(Throwable cause) {
		this.reporter.warn("The log delivery worker died; the records it held are dropped (worker_failed) "
				+ "and a new worker takes over", cause);
	}

}
