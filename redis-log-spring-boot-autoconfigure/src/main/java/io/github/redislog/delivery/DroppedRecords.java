package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Exact counts of the records that were not delivered, by reason, and the gaps they left
 * per context, until the worker writes a note about each gap into the affected streams.
 * The first drop is reported at once, later ones in a summary at most once per
 * {@code reportInterval}, so a flood of drops cannot become a flood of reports.
 *
 * @author Redis Log contributors
 */
public final class DroppedRecords {

	/**
	 * Default shortest time between two reports.
	 */
	public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(10);

	private final Map<DropReason, AtomicLong> counts = new EnumMap<>(DropReason.class);

	private final AtomicLong total = new AtomicLong();

	private final ConcurrentMap<GapKey, DroppedGap> gaps = new ConcurrentHashMap<>();

	private final TroubleReporter reporter;

	private final long reportIntervalNanos;

	private final LongSupplier nanoClock;

	private final AtomicLong nextReportNanos;

	private final AtomicLong reportedTotal = new AtomicLong();

	public DroppedRecords(TroubleReporter reporter) {
		this(reporter, DEFAULT_REPORT_INTERVAL, System::nanoTime);
	}

	DroppedRecords(TroubleReporter reporter, Duration reportInterval, LongSupplier nanoClock) {
		Assert.isTrue(!reportInterval.isNegative(), "'reportInterval' must not be negative");
		this.reporter = reporter;
		this.reportIntervalNanos = reportInterval.toNanos();
		this.nanoClock = nanoClock;
		this.nextReportNanos = new AtomicLong(nanoClock.getAsLong());
		for (DropReason reason : DropReason.values()) {
			this.counts.put(reason, new AtomicLong());
		}
	}

	/**
	 * Count records as dropped.
	 * @param reason why they were dropped
	 * @param contextId the context they were logged in, or {@code null}
	 * @param records how many
	 */
	public void add(DropReason reason, @Nullable String contextId, long records) {
		if (records <= 0) {
			return;
		}
		this.counts.get(reason).addAndGet(records);
		long total = this.total.addAndGet(records);
		Instant now = Instant.now();
		this.gaps.merge(new GapKey(contextId, reason), new DroppedGap(contextId, reason, records, now, now),
				DroppedGap::merge);
		reportIfDue(total);
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

	/**
	 * Remove and return the gaps left since the last call, one per context and reason.
	 * @return the gaps, oldest information first within each
	 */
	public List<DroppedGap> takeGaps() {
		List<DroppedGap> taken = new ArrayList<>();
		for (GapKey key : this.gaps.keySet()) {
			DroppedGap gap = this.gaps.remove(key);
			if (gap != null) {
				taken.add(gap);
			}
		}
		return taken;
	}

	private void reportIfDue(long total) {
		long now = this.nanoClock.getAsLong();
		long next = this.nextReportNanos.get();
		if (now - next < 0 || !this.nextReportNanos.compareAndSet(next, now + this.reportIntervalNanos)) {
			return;
		}
		long sinceLastReport = total - this.reportedTotal.getAndSet(total);
		StringJoiner byReason = new StringJoiner(", ");
		this.counts.forEach((reason, count) -> {
			if (count.get() > 0) {
				byReason.add(reason.tag() + "=" + count.get());
			}
		});
		this.reporter.warn("Dropped " + sinceLastReport + " log record(s) since the last report; " + total
				+ " in total (" + byReason + ")", null);
	}

	private record GapKey(@Nullable String contextId, DropReason reason) {

	}

}
