package io.github.redislog.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.redislog.support.TroubleReporter;
import io.github.redislog.writer.AttemptOutcome;
import io.github.redislog.writer.BatchEntry;

/**
 * Reports the records Redis refused for good, or the publisher never answered, without
 * flooding: the first refusal at once, naming the command, its key and the error, then at
 * most one summary every {@value #SUMMARY_INTERVAL_SECONDS} seconds. Owners and expiries
 * refused for good, which cost no record, are reported apart in the same way. Used by the
 * worker thread only.
 *
 * @author Redis Log contributors
 */
final class RejectionReport {

	static final long SUMMARY_INTERVAL_SECONDS = 10;

	private final TroubleReporter reporter;

	private final ReportThrottle throttle = new ReportThrottle(Duration.ofSeconds(SUMMARY_INTERVAL_SECONDS));

	private final ReportThrottle keyThrottle = new ReportThrottle(Duration.ofSeconds(SUMMARY_INTERVAL_SECONDS));

	private long unreportedRecords;

	private long unreportedNotes;

	private long unreportedKeys;

	RejectionReport(TroubleReporter reporter) {
		this.reporter = reporter;
	}

	void rejected(List<BatchEntry> entries) {
		if (entries.isEmpty()) {
			return;
		}
		for (BatchEntry entry : entries) {
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
		BatchEntry last = entries.get(entries.size() - 1);
		this.reporter.warn("Redis refused " + this.unreportedRecords + " log record(s)" + notes
				+ " for good or never replied, dropped as rejected or no_reply; the others go on. Last refusal: "
				+ last.refusal() + " (" + DropReason.of(last).tag() + ")", null);
		this.unreportedRecords = 0;
		this.unreportedNotes = 0;
	}

	void keysRefused(AttemptOutcome settlement) {
		List<String> refusals = new ArrayList<>(settlement.refusedOwners());
		refusals.addAll(settlement.refusedExpiries());
		if (refusals.isEmpty()) {
			return;
		}
		this.unreportedKeys += refusals.size();
		if (!this.keyThrottle.isDue()) {
			return;
		}
		this.reporter.warn("Redis refused " + this.unreportedKeys + " owner or expiry command(s) for good; the "
				+ "records are in their streams, but a key may live without its time to live, or a stream without "
				+ "its owner key, until a later write sets it. Last refusal: " + refusals.get(refusals.size() - 1),
				null);
		this.unreportedKeys = 0;
	}

}
