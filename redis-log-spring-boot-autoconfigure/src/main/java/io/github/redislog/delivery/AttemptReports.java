package io.github.redislog.delivery;

import java.time.Duration;

import io.github.redislog.support.TroubleReporter;
import io.github.redislog.writer.AttemptOutcome;
import io.github.redislog.writer.BatchEntry;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * What each attempt to write a batch tells the {@link RedisWriteStatus}, which health and
 * metrics read, and the throttled reports: an outage while nothing gets through and its
 * end, records Redis refused for good, and owners or expiries it refused although their
 * records are in the streams. Writing counts as failing only while nothing gets through:
 * an attempt that delivered anything is a success.
 *
 * @author Redis Log contributors
 */
final class AttemptReports {

	private final RedisWriteStatus writeStatus;

	private final OutageReport outageReport;

	private final RejectionReport rejectionReport;

	AttemptReports(RedisWriteStatus writeStatus, TroubleReporter troubleReporter) {
		this.writeStatus = writeStatus;
		this.outageReport = new OutageReport(troubleReporter);
		this.rejectionReport = new RejectionReport(troubleReporter);
	}

	/**
	 * Take what an attempt settled.
	 * @param outcome what the attempt settled
	 * @param failure what the publisher threw, or {@code null}
	 * @param duration how long the attempt took
	 * @param stillToDeliver how many records and notes are left for the next attempt
	 */
	void attempted(AttemptOutcome outcome, @Nullable Throwable failure, Duration duration, int stillToDeliver) {
		for (BatchEntry entry : outcome.rejected()) {
			if (entry.record() >= 0) {
				this.writeStatus.rejected(entry.refusal());
			}
		}
		this.rejectionReport.rejected(outcome.rejected());
		outcome.refusedOwners().forEach(this.writeStatus::ownerRefused);
		outcome.refusedExpiries().forEach(this.writeStatus::expiryRefused);
		this.rejectionReport.keysRefused(outcome);
		if (!outcome.delivered().isEmpty()) {
			this.writeStatus.succeeded(duration);
			this.outageReport.succeeded();
			return;
		}
		String error = (failure != null) ? String.valueOf(NestedExceptionUtils.getMostSpecificCause(failure))
				: outcome.lastError();
		if (error == null) {
			error = outcome.rejected().get(0).refusal();
		}
		this.writeStatus.failed(error);
		if (outcome.lastError() != null) {
			this.outageReport.failed(error, failure, stillToDeliver);
		}
	}

}
