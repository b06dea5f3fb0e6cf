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

import io.github.redislog.support.SafeTroubleReporter;
import io.github.redislog.support.TroubleReporter;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Exact counts of the records that were not delivered, by reason, and the gaps they left
 * per context, until the worker writes a note about each gap into the affected streams.
 * Gaps are tracked one by one for at most {@value #DEFAULT_MAX_TRACKED_CONTEXTS} contexts
 * per reason; those of further contexts make one gap together.
 * The first drop is reported at once, later ones in a summary at most once per
 * {@code reportInterval}, so a flood of drops cannot become a flood of reports.
 * <p>
 * A full queue makes every logging thread drop its records here, so a drop allocates
 * nothing, takes no lock and, given the time its record was logged, reads no clock: the
 * counts are {@link LongAdder}s, and the open gap of a context and reason is counted
 * with a compare-and-set until the worker takes it.
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

	// Stands for the records logged without a context: a concurrent map has no null key.
	private static final Object NO_CONTEXT = new Object();

	// Stands for the contexts beyond the tracked ones: job ids are random, so an outage
	// could otherwise leave an entry per job.
	private static final Object OTHER_CONTEXTS = new Object();

	private final Map<DropReason, LongAdder> counts = new EnumMap<>(DropReason.class);

	private final Map<DropReason, ConcurrentMap<Object, OpenGap>> gaps = new EnumMap<>(DropReason.class);

	private final TroubleReporter reporter;

	private final long reportIntervalMillis;

	private final int maxTrackedContexts;

	private final LongSupplier clock;

	private final AtomicLong nextReportMillis;

	private final AtomicLong reportedTotal = new AtomicLong();

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
		Assert.isTrue(maxTrackedContexts > 0, "'maxTrackedContexts' must be positive");
		this.reporter = SafeTroubleReporter.of(reporter);
		this.reportIntervalMillis = reportInterval.toMillis();
		this.maxTrackedContexts = maxTrackedContexts;
		this.clock = clock;
		this.nextReportMillis = new AtomicLong(clock.getAsLong());
		for (DropReason reason : DropReason.values()) {
			this.counts.put(reason, new LongAdder());
			this.gaps.put(reason, new ConcurrentHashMap<>());
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
		ConcurrentMap<Object, OpenGap> gaps = this.gaps.get(reason);
		Object key = (contextId != null) ? contextId : NO_CONTEXT;
		OpenGap gap = gaps.get(key);
		if (gap == null && contextId != null && gaps.size() >= this.maxTrackedContexts) {
			key = OTHER_CONTEXTS;
			gap = gaps.get(key);
		}
		boolean others = key == OTHER_CONTEXTS;
		while (gap == null || !gap.add(records, timestamp)) {
			gap = gaps.computeIfAbsent(key, (ignored) -> new OpenGap(others ? null : contextId, others, reason,
					timestamp));
		}
		reportIfDue(timestamp);
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
			gaps.remove(key, gap);
			DroppedGap closed = gap.close();
			if (closed != null) {
				taken.add(closed);
			}
		}));
		return taken;
	}

	/**
	 * Return how many gaps are open.
	 * @return the number of contexts and reasons with drops since the last
	 * {@link #takeGaps()}
	 */
	int openGaps() {
		int open = 0;
		for (ConcurrentMap<Object, OpenGap> gaps : this.gaps.values()) {
			open += gaps.size();
		}
		return open;
	}

	private void reportIfDue(long now) {
		long next = this.nextReportMillis.get();
		// A report more than two intervals ahead means that the clock went back; times of
		// records from several threads arrive a little out of order, which is no reason.
		boolean due = now - next >= 0 || next - now > 2 * this.reportIntervalMillis;
		if (!due || !this.nextReportMillis.compareAndSet(next, now + this.reportIntervalMillis)) {
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
	 * The records of one context dropped for one reason since the gaps were last taken,
	 * and when the first and the last of them were logged. Taking closes it for good, so
	 * each drop is in exactly one gap, and a context that stopped dropping records leaves
	 * no gap behind.
	 */
	private static final class OpenGap {

		private static final long CLOSED = -1;

		private final @Nullable String contextId;

		private final boolean otherContexts;

		private final DropReason reason;

		private final AtomicLong records = new AtomicLong();

		private volatile long first;

		private volatile long last;

		OpenGap(@Nullable String contextId, boolean otherContexts, DropReason reason, long first) {
			this.contextId = contextId;
			this.otherContexts = otherContexts;
			this.reason = reason;
			this.first = first;
			this.last = first;
		}

		boolean add(long records, long timestamp) {
			long current;
			do {
				current = this.records.get();
				if (current == CLOSED) {
					return false;
				}
			}
			while (!this.records.compareAndSet(current, current + records));
			// Written when the millisecond changes: two drops that race may leave the
			// first or last time a millisecond or so off.
			if (timestamp > this.last) {
				this.last = timestamp;
			}
			else if (timestamp < this.first) {
				this.first = timestamp;
			}
			return true;
		}

		// Called once the gap is out of the map, so that a drop that finds it closed opens
		// the next one instead of finding this one again.
		@Nullable DroppedGap close() {
			long records = this.records.getAndSet(CLOSED);
			if (records == 0) {
				// Opened by a drop that has not counted yet, and now never will here.
				return null;
			}
			return new DroppedGap(this.contextId, this.otherContexts, this.reason, records, Instant.ofEpochMilli(this.first),
					Instant.ofEpochMilli(Math.max(this.first, this.last)));
		}

	}

}
