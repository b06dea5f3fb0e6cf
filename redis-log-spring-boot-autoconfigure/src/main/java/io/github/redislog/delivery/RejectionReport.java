package io.github.redislog.delivery;

import java.time.Duration;
import java.util.List;

/**
 * Reports the records Redis refused for good without flooding: the first refusal at once,
 * naming the command, its key and the error, then at most one summary every
 * {@value #SUMMARY_INTERVAL_SECONDS} seconds. Used by the worker thread only.
 *
 * @author Redis Log contributors
 */
final class RejectionReport {

	static final long SUMMARY_INTERVAL_SECONDS = 10;

	private final TroubleReporter reporter;

	private final ReportThrottle throttle = new ReportThrottle(Duration.ofSeconds(SUMMARY_INTERVAL_SECONDS));

	private long unreportedRecords;

	private long unreportedNotes;

	RejectionReport(TroubleReporter reporter) {
		this.reporter = reporter;
	}

	void rejected(List<LogBatch.Entry> entries) {
		if (entries.isEmpty()) {
			return;
		}
		for (LogBatch.Entry entry : entries) {
			if (entry.record() < 0) {
				this.unreportedNotes++;
			}
			else {
				this.unreportedRecords++;
			}
		}
		if (!this.throttle.isDue()) {
			return;
		}
		String notes = (this.unreportedNotes > 0) ? " and " + this.unreportedNotes + " note(s) about dropped records"
				: "";
		this.reporter.warn("Redis refused " + this.unreportedRecords + " log record(s)" + notes
				+ " for good, dropped as rejected; the others go on. Last refusal: "
				+ entries.get(entries.size() - 1).refusal(), null);
		this.unreportedRecords = 0;
		this.unreportedNotes = 0;
	}

}
