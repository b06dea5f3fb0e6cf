package io.github.redislog.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The gaps that dropped records leave, one per context and reason, until the worker takes
 * them to write a note about each into the affected streams. Gaps are tracked one by one
 * for at most a given number of contexts per reason; those of further contexts make one
 * gap together.
 * <p>
 * Once the gap of a context and reason is open, a drop takes no lock and allocates
 * nothing: it is counted with a compare-and-set until the worker takes the gap.
 *
 * @author Redis Log contributors
 */
final class GapTracker {

	// Stands for the records logged without a context: a concurrent map has no null key.
	private static final Object NO_CONTEXT = new Object();

	// Stands for the contexts beyond the tracked ones: job ids are random, so an outage
	// could otherwise leave an entry per job.
	private static final Object OTHER_CONTEXTS = new Object();

	private final Map<DropReason, ConcurrentMap<Object, OpenGap>> gaps = new EnumMap<>(DropReason.class);

	private final int maxTrackedContexts;

	/**
	 * Create an instance.
	 * @param maxTrackedContexts the number of contexts whose gaps are tracked one by one,
	 * per reason
	 */
	GapTracker(int maxTrackedContexts) {
		Assert.isTrue(maxTrackedContexts > 0, "'maxTrackedContexts' must be positive");
		this.maxTrackedContexts = maxTrackedContexts;
		for (DropReason reason : DropReason.values()) {
			this.gaps.put(reason, new ConcurrentHashMap<>());
		}
	}

	/**
	 * Add dropped records to the open gap of their context and reason.
	 * @param reason why they were dropped
	 * @param contextId the context they were logged in, or {@code null}
	 * @param records how many, positive
	 * @param timestamp when they were dropped or logged, in milliseconds since the epoch
	 */
	void add(DropReason reason, @Nullable String contextId, long records, long timestamp) {
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
	}

	/**
	 * Remove and return the gaps left since the last call, one per context and reason.
	 * @return the gaps, oldest information first within each
	 */
	List<DroppedGap> take() {
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
	 * @return the number of contexts and reasons with drops since the last {@link #take()}
	 */
	int open() {
		int open = 0;
		for (ConcurrentMap<Object, OpenGap> gaps : this.gaps.values()) {
			open += gaps.size();
		}
		return open;
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
