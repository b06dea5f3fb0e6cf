package io.github.redislog.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The queue between the logging threads and the worker, bounded both by record count and
 * by the estimated bytes of the records waiting for delivery, queued or in the worker's
 * batch. {@link #offer(LogRecord)} never blocks: a record that
 * does not fit is counted as {@link DropReason#QUEUE_FULL dropped}.
 * <p>
 * Logging threads offer without a lock, so that they do not queue up behind each other:
 * each reserves its place in the count and byte bounds with a compare-and-set, then adds
 * its record to a lock-free queue. It has one consumer, the worker, which parks while the
 * queue is empty and is unparked by the next record. Once the worker has taken its last
 * records it {@link #close closes} the queue: a record offered later, by a log call that
 * raced with the shutdown, is counted as dropped at {@link DropReason#SHUTDOWN shutdown}
 * instead of waiting for a worker that is gone.
 *
 * @author Redis Log contributors
 */
public final class LogRecordQueue {

	private final Queue<LogRecord> records = new ConcurrentLinkedQueue<>();

	private final int capacity;

	private final long maxBytes;

	// Records offered and not yet taken, including those being added.
	private final AtomicLong size = new AtomicLong();

	private final AtomicLong bytes = new AtomicLong();

	// The consumer while it is parked or about to park, else null.
	private final AtomicReference<@Nullable Thread> waitingConsumer = new AtomicReference<>();

	private final DroppedRecords droppedRecords;

	private volatile boolean closed;

	public LogRecordQueue(int capacity, long maxBytes, DroppedRecords droppedRecords) {
		Assert.isTrue(capacity > 0, "'capacity' must be positive");
		Assert.isTrue(maxBytes > 0, "'maxBytes' must be positive");
		this.capacity = capacity;
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
		long recordBytes = record.estimatedBytes();
		if (!reserve(this.size, 1, this.capacity)) {
			drop(record, DropReason.QUEUE_FULL);
			return false;
		}
		// Read after the reservation: close() either sees the record coming or it is not
		// added.
		if (this.closed || !reserve(this.bytes, recordBytes, this.maxBytes)) {
			this.size.decrementAndGet();
			drop(record, this.closed ? DropReason.SHUTDOWN : DropReason.QUEUE_FULL);
			return false;
		}
		this.records.offer(record);
		// Only the first record after the consumer parked pays for unparking it.
		Thread consumer = this.waitingConsumer.get();
		if (consumer != null && this.waitingConsumer.compareAndSet(consumer, null)) {
			LockSupport.unpark(consumer);
		}
		return true;
	}

	private void drop(LogRecord record, DropReason reason) {
		this.droppedRecords.add(reason, record.contextId(), 1, record.timestamp().toEpochMilli());
	}

	// Neither bound is exceeded, not even for a moment: size() and bytes() are gauges.
	private static boolean reserve(AtomicLong counter, long amount, long bound) {
		long current;
		do {
			current = counter.get();
			if (current + amount > bound) {
				return false;
			}
		}
		while (!counter.compareAndSet(current, current + amount));
		return true;
	}

	/**
	 * Return whether the queue is at one of its bounds, so that a record offered now
	 * would be dropped.
	 * @return whether the queue holds as many records as it may, or as many bytes
	 */
	public boolean isFull() {
		return this.size.get() >= this.capacity || this.bytes.get() >= this.maxBytes;
	}

	/**
	 * Take the next record, waiting up to the given timeout for one to arrive. Its bytes
	 * stay counted until it is {@link #release(List) released}. Only one thread may take
	 * records from the queue.
	 * @param timeout how long to wait
	 * @return the record, or {@code null} if none arrived in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	public @Nullable LogRecord poll(Duration timeout) throws InterruptedException {
		LogRecord record = take();
		if (record != null) {
			return record;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		Thread consumer = Thread.currentThread();
		try {
			while (true) {
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
				this.waitingConsumer.set(consumer);
				// A record added before the consumer was announced did not unpark it: look
				// again before parking.
				record = take();
				if (record != null) {
					return record;
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return null;
				}
				LockSupport.parkNanos(this, remaining);
			}
		}
		finally {
			this.waitingConsumer.set(null);
		}
	}

	/**
	 * Move up to {@code maxRecords} queued records to the given list without waiting. Their
	 * bytes stay counted until they are {@link #release(List) released}. Only one thread
	 * may take records from the queue.
	 * @param batch the list to add to
	 * @param maxRecords the most records to move
	 * @return how many records were moved
	 */
	public int drainTo(List<LogRecord> batch, int maxRecords) {
		int moved = 0;
		LogRecord record;
		try {
			while (moved < maxRecords && (record = this.records.poll()) != null) {
				moved++;
				batch.add(record);
			}
		}
		finally {
			// Once per batch: the logging threads update the same count. Also when the
			// list cannot grow, since close() waits for the count to match the queue.
			this.size.addAndGet(-moved);
		}
		return moved;
	}

	private @Nullable LogRecord take() {
		LogRecord record = this.records.poll();
		if (record != null) {
			this.size.decrementAndGet();
		}
		return record;
	}

	/**
	 * Take no more records: from now on an offered record is counted as dropped at
	 * shutdown. Returns once every record offered before is in the queue, where the
	 * consumer takes it as usual. Only the thread that takes records may close.
	 */
	public void close() {
		this.closed = true;
		// A record reserved before the queue closed is still being added, for no longer
		// than an offer takes: it never blocks. Only the consumer takes records out.
		while (this.records.size() < this.size.get()) {
			Thread.onSpinWait();
		}
	}

	/**
	 * Take records again after {@link #close}.
	 */
	public void open() {
		this.closed = false;
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
		return (int) this.size.get();
	}

	/**
	 * Return the estimated bytes of the records queued or taken but not yet released.
	 * @return the byte count
	 */
	public long bytes() {
		return this.bytes.get();
	}

}
