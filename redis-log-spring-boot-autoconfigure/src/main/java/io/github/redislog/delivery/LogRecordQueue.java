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
 * by the estimated bytes of the records waiting for delivery, queued or in the worker's
 * batch. {@link #offer(LogRecord)} never blocks: a record that
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
	 * Take the next record, waiting up to the given timeout for one to arrive. Its bytes
	 * stay counted until it is {@link #release(List) released}.
	 * @param timeout how long to wait
	 * @return the record, or {@code null} if none arrived in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public @Nullable LogRecord poll(Duration timeout) throws InterruptedException {
		return this.records.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Move up to {@code maxRecords} queued records to the given list without waiting. Their
	 * bytes stay counted until they are {@link #release(List) released}.
	 * @param batch the list to add to
	 * @param maxRecords the most records to move
	 * @return how many records were moved
	 */
	public int drainTo(List<LogRecord> batch, int maxRecords) {
		return this.records.drainTo(batch, maxRecords);
	}

	/**
	 * Stop counting the bytes of records taken from the queue, once they are delivered or
	 * dropped: until then they still take memory, so the byte bound covers them too.
	 * @param taken the records
	 */
	public void release(List<LogRecord> taken) {
		long size = 0;
		for (LogRecord record : taken) {
			size += record.estimatedBytes();
		}
		this.bytes.addAndGet(-size);
	}

	/**
	 * Return how many records are queued.
	 * @return the record count
	 */
	public int size() {
		return this.records.size();
	}

	/**
	 * Return the estimated bytes of the records queued or taken but not yet released.
	 * @return the byte count
	 */
	public long bytes() {
		return this.bytes.get();
	}

}
