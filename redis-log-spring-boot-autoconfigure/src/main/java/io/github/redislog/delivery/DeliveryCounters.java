package io.github.redislog.delivery;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The accounting of every record the appender accepted: at any time
 * {@code offered = published + dropped + in flight}, where in flight means queued or in the
 * batch being written.
 *
 * @author Redis Log contributors
 */
public final class DeliveryCounters {

	// Incremented on every logging thread: a LongAdder does not make them contend.
	private final LongAdder offered = new LongAdder();

	private final AtomicLong published = new AtomicLong();

	private final DroppedRecords dropped;

	public DeliveryCounters(DroppedRecords dropped) {
		this.dropped = dropped;
	}

	/**
	 * Count a record the appender accepted for delivery.
	 */
	public void offered() {
		this.offered.increment();
	}

	/**
	 * Count records Redis accepted.
	 * @param records how many
	 */
	public void published(long records) {
		this.published.addAndGet(records);
	}

	public long offeredCount() {
		return this.offered.sum();
	}

	public long publishedCount() {
		return this.published.get();
	}

	public DroppedRecords dropped() {
		return this.dropped;
	}

	/**
	 * Return how many records are neither published nor dropped yet.
	 * @return the records queued or being written
	 */
	public long inFlight() {
		return offeredCount() - publishedCount() - this.dropped.total();
	}

}
