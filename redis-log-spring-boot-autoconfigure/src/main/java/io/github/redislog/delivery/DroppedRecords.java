package io.github.redislog.delivery;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.github.redislog.support.SafeTroubleReporter;
import io.github.redislog.support.TroubleReporter;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Exact counts of the records that were not delivered, by reason, and the gaps they left
 * per context (a {@link GapTracker}), until the worker writes a note about each gap into
 * the affected streams. Gaps are tracked one by one for at most
 * {@value #DEFAULT_MAX_TRACKED_CONTEXTS} contexts per reason; those of further contexts
 * make one gap together.
 * The first drop makes a report due, later ones a summary at most once per
 * {@code reportInterval}, so a flood of drops cannot become a flood of reports; the
 * worker writes a due report at its next turn ({@link #reportIfDue()}).
 * <p>
 * A full queue makes every logging thread drop its records here, so a drop allocates
 * nothing, takes no lock, does no I/O and, given the time its record was logged, reads no
 * clock: the counts are {@link LongAdder}s, and the gaps and the report throttle count with
 * compare-and-sets.
 *
 * @author Redis Log contributors
 */
public final class DroppedRecords {

	/**
	 * Default shortest time between two reports.
	 */
	public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(10);

	/**
	 * Default number of contexts whose gaps are tracked one by one, per reason.
	 */
	public static final int DEFAULT_MAX_TRACKED_CONTEXTS = 1000;

	private final Map<DropReason, LongAdder> counts = new EnumMap<>(DropReason.class);

	private final GapTracker gaps;

	private final TroubleReporter reporter;

	private final LongSupplier clock;

	private final ReportThrottle throttle;

	private final AtomicLong reportedTotal = new AtomicLong();

	private final AtomicBoolean reportDue = new AtomicBoolean();

	public DroppedRecords(TroubleReporter reporter) {
		this(reporter, DEFAULT_REPORT_INTERVAL, System::currentTimeMillis, DEFAULT_MAX_TRACKED_CONTEXTS);
	}

	/**
	 * Create an instance.
	 * @param reporter where to report drops
	 * @param reportInterval the shortest time between two reports
	 * @param clock the current time in milliseconds since the epoch
	 * @param maxTrackedContexts the number of contexts whose gaps are tracked one by one,
	 * per reason; the gaps of others are noted together in the global stream
	 */
	DroppedRecords(TroubleReporter reporter, Duration reportInterval, LongSupplier clock, int maxTrackedContexts) {
		Assert.isTrue(!reportInterval.isNegative(), "'reportInterval' must not be negative");
		this.gaps = new GapTracker(maxTrackedContexts);
		this.reporter = SafeTroubleReporter.of(reporter);
		this.clock = clock;
		this.throttle = new ReportThrottle(reportInterval.toMillis(), clock);
		for (DropReason reason : DropReason.values()) {
			this.counts.put(reason, new LongAdder());
		}
	}

	/**
	 * Count records as dropped now.
	 * @param reason why they were dropped
	 * @param contextId the context they were logged in, or {@code null}
	 * @param records how many
	 */
	public void add(DropReason reason, @Nullable String contextId, long records) {
		add(reason, contextId, records, this.clock.getAsLong());
	}

	/**
	 * Count records as dropped as they are logged.
	 * @param reason why they were dropped
	 * @param contextId the context they were logged in, or {@code null}
	 * @param records how many
	 * @param timestamp when they were logged, in milliseconds since the epoch
	 */
	public void add(DropReason reason, @Nullable String contextId, long records, long timestamp) {
		if (records <= 0) {
			return;
		}
		this.counts.get(reason).add(records);
		this.gaps.add(reason, contextId, records, timestamp);
		if (this.throttle.isDue(timestamp)) {
			// Written by the worker: the reporter may print or log, which a logging thread
			// must not wait for.
			this.reportDue.set(true);
		}
	}

	/**
	 * Report the drops since the last report if a drop made a report due. Called by the
	 * worker between batches and between attempts.
	 */
	public void reportIfDue() {
		// Read first: the worker asks after every batch, and a write would take the
		// flag's cache line from the logging threads each time.
		if (this.reportDue.get() && this.reportDue.getAndSet(false)) {
			report();
		}
	}

	/**
	 * Return how many records were dropped for the given reason.
	 * @param reason the reason
	 * @return the count since startup
	 */
	public long count(DropReason reason) {
		return this.counts.get(reason).sum();
	}

	/**
	 * Return how many records were dropped for any reason.
	 * @return the count since startup
	 */
	public long total() {
		long total = 0;
		for (LongAdder count : this.counts.values()) {
			total += count.sum();
		}
		return total;
	}

	/**
	 * Remove and return the gaps left since the last call, one per context and reason.
	 * @return the gaps, oldest information first within each
	 */
	public List<DroppedGap> takeGaps() {
		return this.gaps.take();
	}

	/**
	 * Return how many gaps are open.
	 * @return the number of contexts and reasons with drops since the last
	 * {@link #takeGaps()}
	 */
	int openGaps() {
		return this.gaps.open();
	}

	private void report() {
		long total = total();
		long sinceLastReport = total - this.reportedTotal.getAndSet(total);
		StringJoiner byReason = new StringJoiner(", ");
		this.counts.forEach((reason, count) -> {
			long dropped = count.sum();
			if (dropped > 0) {
				byReason.add(reason.tag() + "=" + dropped);
			}
		});
		this.reporter.warn("Dropped " + sinceLastReport + " log record(s) since the last report; " + total
				+ " in total (" + byReason + ")", null);
	}

}
