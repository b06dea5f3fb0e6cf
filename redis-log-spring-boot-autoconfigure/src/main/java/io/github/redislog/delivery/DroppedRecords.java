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
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Exact counts of the records that were not delivered, by reason, and the gaps they left
 * per context, until the worker writes a note about each gap into the affected streams.
 * The first drop is reported at once, later ones in a summary at most once per
 * {@code reportInterval}, so a flood of drops cannot become a flood of reports.
 * <p>
 * A full queue makes every logging thread drop its records here, so a drop allocates
 * nothing: the counts are {@link LongAdder}s and each gap is one object per context and
 * reason, updated in place until the context stops dropping records.
 *
 * @author Redis Log contributors
 */
public final class DroppedRecords {

	/**
	 * Default shortest time between two reports.
	 */
	public static final Duration DEFAULT_REPORT_INTERVAL = Duration.ofSeconds(10);

	// Stands for the records logged without a context: a concurrent map has no null key.
	private static final Object NO_CONTEXT = new Object();

	private final Map<DropReason, LongAdder> counts = new EnumMap<>(DropReason.class);

	private final Map<DropReason, ConcurrentMap<Object, OpenGap>> gaps = new EnumMap<>(DropReason.class);

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
			this.counts.put(reason, new LongAdder());
			this.gaps.put(reason, new ConcurrentHashMap<>());
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
		this.counts.get(reason).add(records);
		long now = System.currentTimeMillis();
		ConcurrentMap<Object, OpenGap> gaps = this.gaps.get(reason);
		Object key = (contextId != null) ? contextId : NO_CONTEXT;
		OpenGap gap = gaps.get(key);
		while (gap == null || !gap.add(records, now)) {
			if (gap != null) {
				gaps.remove(key, gap);
			}
			gap = gaps.computeIfAbsent(key, (ignored) -> new OpenGap(contextId, reason));
		}
		reportIfDue();
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
		List<DroppedGap> taken = new ArrayList<>();
		this.gaps.values().forEach((gaps) -> gaps.forEach((key, gap) -> {
			DroppedGap dropped = gap.take();
			if (dropped != null) {
				taken.add(dropped);
			}
			else {
				gaps.remove(key, gap);
			}
		}));
		return taken;
	}

	/**
	 * Return how many gaps are open: one per context and reason that dropped records
	 * since the last {@link #takeGaps()} but one.
	 * @return the number of gaps
	 */
	int openGaps() {
		int open = 0;
		for (ConcurrentMap<Object, OpenGap> gaps : this.gaps.values()) {
			open += gaps.size();
		}
		return open;
	}

	private void reportIfDue() {
		long now = this.nanoClock.getAsLong();
		long next = this.nextReportNanos.get();
		if (now - next < 0 || !this.nextReportNanos.compareAndSet(next, now + this.reportIntervalNanos)) {
			return;
		}
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

	/**
	 * The records of one context dropped for one reason since the gap was last taken. A
	 * gap found empty when taken is closed for good and leaves the map, so that contexts
	 * that come and go, such as jobs, do not pile up; a drop that finds it closed opens a
	 * new one.
	 */
	private static final class OpenGap {

		private final @Nullable String contextId;

		private final DropReason reason;

		private long records;

		private long firstMillis;

		private long lastMillis;

		private boolean closed;

		OpenGap(@Nullable String contextId, DropReason reason) {
			this.contextId = contextId;
			this.reason = reason;
		}

		synchronized boolean add(long records, long nowMillis) {
			if (this.closed) {
				return false;
			}
			// Callers read the clock before they get here, so not always in order.
			if (this.records == 0) {
				this.firstMillis = nowMillis;
				this.lastMillis = nowMillis;
			}
			else {
				this.firstMillis = Math.min(this.firstMillis, nowMillis);
				this.lastMillis = Math.max(this.lastMillis, nowMillis);
			}
			this.records += records;
			return true;
		}

		synchronized @Nullable DroppedGap take() {
			if (this.records == 0) {
				this.closed = true;
				return null;
			}
			DroppedGap gap = new DroppedGap(this.contextId, this.reason, this.records,
					Instant.ofEpochMilli(this.firstMillis), Instant.ofEpochMilli(this.lastMillis));
			this.records = 0;
			return gap;
		}

	}

}
