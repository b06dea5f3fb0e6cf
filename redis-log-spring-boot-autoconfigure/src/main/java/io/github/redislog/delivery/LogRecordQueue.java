package io.github.redislog.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The queue between the logging threads and the worker, bounded both by record count and
 * by the records' estimated bytes. {@link #offer(LogRecord)} never blocks: a record that
 * does not fit is counted as {@link DropReason#QUEUE_FULL dropped}.
 *
 * @author Redis Log contributors
 */
public final class LogRecordQueue {

	private final BlockingQueue<LogRecord> records;

	private final long maxBytes;

	private final AtomicLong bytes = new AtomicLong();

	private final DroppedRecords droppedRecords;

	public LogRecordQueue(int capacity, long maxBytes, DroppedRecords droppedRecords) {
		Assert.isTrue(capacity > 0, "'capacity' must be positive");
		Assert.isTrue(maxBytes > 0, "'maxBytes' must be positive");
		this.records = new ArrayBlockingQueue<>(capacity);
		this.maxBytes = maxBytes;
		this.droppedRecords = droppedRecords;
	}

	/**
	 * Queue a record unless that would exceed a bound, in which case it is counted as
	 * dropped.
	 * @param record the record
	 * @return whether the record was queued
	 */
	public boolean offer(LogRecord record) {
		long size = record.estimatedBytes();
		if (!reserve(size)) {
			this.droppedRecords.add(DropReason.QUEUE_FULL, record.contextId(), 1);
			return false;
		}
		if (!this.records.offer(record)) {
			this.bytes.addAndGet(-size);
			this.droppedRecords.add(DropReason.QUEUE_FULL, record.contextId(), 1);
			return false;
		}
		return true;
	}

	// Never above the bound, not even for a moment: bytes() is a gauge.
	private boolean reserve(long size) {
		long current;
		do {
			current = this.bytes.get();
			if (current + size > this.maxBytes) {
				return false;
			}
		}
		while (!this.bytes.compareAndSet(current, current + size));
		return true;
	}

	/**
	 * Take the next record, waiting up to the given timeout for one to arrive.
	 * @param timeout how long to wait
	 * @return the record, or {@code null} if none arrived in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public @Nullable LogRecord poll(Duration timeout) throws InterruptedException {
		LogRecord record = this.records.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
		if (record != null) {
			this.bytes.addAndGet(-record.estimatedBytes());
		}
		return record;
	}

	/**
	 * Move up to {@code maxRecords} queued records to the given list without waiting.
	 * @param batch the list to add to
	 * @param maxRecords the most records to move
	 * @return how many records were moved
	 */
	public int drainTo(List<LogRecord> batch, int maxRecords) {
		int first = batch.size();
		int drained = this.records.drainTo(batch, maxRecords);
		long size = 0;
		for (int i = first; i < batch.size(); i++) {
			size += batch.get(i).estimatedBytes();
		}
		this.bytes.addAndGet(-size);
		return drained;
	}

	/**
	 * Return how many records are queued.
	 * @return the record count
	 */
	public int size() {
		return this.records.size();
	}

	/**
	 * Return the estimated bytes of the queued records.
	 * @return the byte count
	 */
	public long bytes() {
		return this.bytes.get();
	}

}
