package io.github.redislog.delivery;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.util.Assert;

/**
 * Exact counts of the records that were not delivered, by reason. The first drop and then
 * every {@code reportEvery}th is reported, so a flood of drops cannot become a flood of
 * reports.
 *
 * @author Redis Log contributors
 */
public final class DroppedRecords {

	/**
	 * Default number of drops between two reports.
	 */
	public static final long DEFAULT_REPORT_EVERY = 1000;

	private final Map<DropReason, AtomicLong> counts = new EnumMap<>(DropReason.class);

	private final AtomicLong total = new AtomicLong();

	private final TroubleReporter reporter;

	private final long reportEvery;

	public DroppedRecords(TroubleReporter reporter) {
		this(reporter, DEFAULT_REPORT_EVERY);
	}

	public DroppedRecords(TroubleReporter reporter, long reportEvery) {
		Assert.isTrue(reportEvery > 0, "'reportEvery' must be positive");
		this.reporter = reporter;
		this.reportEvery = reportEvery;
		for (DropReason reason : DropReason.values()) {
			this.counts.put(reason, new AtomicLong());
		}
	}

	/**
	 * Count records as dropped.
	 * @param reason why they were dropped
	 * @param records how many
	 */
	public void add(DropReason reason, long records) {
		if (records <= 0) {
			return;
		}
		long countForReason = this.counts.get(reason).addAndGet(records);
		long after = this.total.addAndGet(records);
		long before = after - records;
		if (before == 0 || after / this.reportEvery > before / this.reportEvery) {
			this.reporter.warn("Dropped " + records + " log record(s) (" + reason.tag() + "); " + countForReason
					+ " dropped for that reason and " + after + " in total so far", null);
		}
	}

	/**
	 * Return how many records were dropped for the given reason.
	 * @param reason the reason
	 * @return the count since startup
	 */
	public long count(DropReason reason) {
		return this.counts.get(reason).get();
	}

	/**
	 * Return how many records were dropped for any reason.
	 * @return the count since startup
	 */
	public long total() {
		return this.total.get();
	}

}
