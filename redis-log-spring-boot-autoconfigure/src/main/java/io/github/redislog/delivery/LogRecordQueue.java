package io.github.redislog.delivery;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

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
 * its record to a lock-free queue. It has one consumer, the worker, which parks while it
 * waits for records and is unparked only once as many are queued as it waits for: the
 * next record when it is idle, a full batch while it collects one
 * ({@link ConsumerParking}). Once the worker has taken its last
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

	private final ConsumerParking parking = new ConsumerParking();

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
		long queued = reserve(this.size, 1, this.capacity);
		if (queued < 0) {
			drop(record, DropReason.QUEUE_FULL);
			return false;
		}
		// Read after the reservation: close() either sees the record coming or it is not
		// added.
		if (this.closed || reserve(this.bytes, recordBytes, this.maxBytes) < 0) {
			this.size.decrementAndGet();
			drop(record, this.closed ? DropReason.SHUTDOWN : DropReason.QUEUE_FULL);
			return false;
		}
		this.records.offer(record);
		this.parking.added(queued);
		return true;
	}

	private void drop(LogRecord record, DropReason reason) {
		this.droppedRecords.add(reason, record.contextId(), 1, record.timestamp().toEpochMilli());
	}

	// Neither bound is exceeded, not even for a moment: size() and bytes() are gauges.
	// Returns the new count, or -1 if the amount does not fit.
	private static long reserve(AtomicLong counter, long amount, long bound) {
		long current;
		do {
			current = counter.get();
			if (current + amount > bound) {
				return -1;
			}
		}
		while (!counter.compareAndSet(current, current + amount));
		return current + amount;
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
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			LogRecord record = take();
			long remaining = deadline - System.nanoTime();
			if (record != null || remaining <= 0) {
				return record;
			}
			this.parking.await(1, this.size::get, remaining, this);
		}
	}

	/**
	 * Wait until at least {@code count} records are queued, or the timeout passes, without
	 * taking any. Logging threads wake the waiting consumer only once that many are
	 * queued: a worker that waits for a full batch is not woken by every record. Only one
	 * thread may take records from the queue.
	 * @param count how many records to wait for
	 * @param timeout how long to wait at most
	 * @throws InterruptedException if interrupted while waiting
	 */
	public void awaitRecords(int count, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		long remaining;
		while (this.size.get() < count && (remaining = deadline - System.nanoTime()) > 0) {
			this.parking.await(count, this.size::get, remaining, this);
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
