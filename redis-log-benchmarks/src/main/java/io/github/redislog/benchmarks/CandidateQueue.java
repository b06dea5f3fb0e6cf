package io.github.redislog.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redislog.delivery.ConsumerParking;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecordQueue;

import org.jctools.queues.MessagePassingQueue;
import org.jctools.queues.MpscBlockingConsumerArrayQueue;
import org.jspecify.annotations.Nullable;

/**
 * {@link LogRecordQueue}'s bounds over another container, for {@link QueueChoiceBenchmark}
 * only: the same compare-and-set reservations on record count and estimated bytes, the
 * same drop counting, and either the production queue's park/unpark of the one consumer
 * ({@link ConsumerParking}) over any {@link Queue} ({@link Parking}) or the wait of a
 * {@link BlockingQueue} ({@link Blocking}). Only the container and the wake-up differ from
 * the production queue, so that the benchmark compares those and nothing else. The bounds
 * are copied on purpose: the production class keeps no seam that only a benchmark would
 * use. Closing is left out, since the benchmark never closes.
 *
 * @author Redis Log contributors
 */
abstract class CandidateQueue implements QueueChoiceBenchmark.RecordQueue {

	private final int capacity;

	private final long maxBytes;

	private final AtomicLong size = new AtomicLong();

	private final AtomicLong bytes = new AtomicLong();

	private final DroppedRecords droppedRecords;

	CandidateQueue(int capacity, long maxBytes, DroppedRecords droppedRecords) {
		this.capacity = capacity;
		this.maxBytes = maxBytes;
		this.droppedRecords = droppedRecords;
	}

	@Override
	public final boolean offer(LogRecord record) {
		long recordBytes = record.estimatedBytes();
		if (!reserve(this.size, 1, this.capacity)) {
			drop(record);
			return false;
		}
		if (!reserve(this.bytes, recordBytes, this.maxBytes)) {
			this.size.decrementAndGet();
			drop(record);
			return false;
		}
		add(record);
		return true;
	}

	private void drop(LogRecord record) {
		this.droppedRecords.add(DropReason.QUEUE_FULL, record.contextId(), 1, record.timestamp().toEpochMilli());
	}

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

	// Hands a reserved record to the container, which has room for it.
	abstract void add(LogRecord record);

	// Records offered and not yet taken.
	final long queued() {
		return this.size.get();
	}

	// The consumer took this many records.
	final void taken(int records) {
		this.size.addAndGet(-records);
	}

	final @Nullable LogRecord counted(@Nullable LogRecord taken) {
		if (taken != null) {
			taken(1);
		}
		return taken;
	}

	@Override
	public final void release(List<LogRecord> taken) {
		long released = 0;
		for (LogRecord record : taken) {
			released += record.estimatedBytes();
		}
		this.bytes.addAndGet(-released);
	}

	/**
	 * The production queue's wake-up ({@link ConsumerParking}) over another lock-free
	 * queue: the one consumer parks while the queue is empty and the next record unparks it.
	 */
	static final class Parking extends CandidateQueue {

		private final Queue<LogRecord> records;

		private final ConsumerParking parking = new ConsumerParking();

		Parking(Queue<LogRecord> records, int capacity, long maxBytes, DroppedRecords droppedRecords) {
			super(capacity, maxBytes, droppedRecords);
			this.records = records;
		}

		@Override
		void add(LogRecord record) {
			this.records.offer(record);
			this.parking.added(queued());
		}

		@Override
		public @Nullable LogRecord poll(Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (true) {
				LogRecord record = take();
				long remaining = deadline - System.nanoTime();
				if (record != null || remaining <= 0) {
					return record;
				}
				this.parking.await(1, Parking.this::queued, remaining, this);
			}
		}

		private @Nullable LogRecord take() {
			return counted(this.records.poll());
		}

		@Override
		public int drainTo(List<LogRecord> batch, int maxRecords) {
			int moved = 0;
			LogRecord record;
			while (moved < maxRecords && (record = this.records.poll()) != null) {
				moved++;
				batch.add(record);
			}
			taken(moved);
			return moved;
		}

	}

	/**
	 * A {@link BlockingQueue} whose own wait replaces the park/unpark: an
	 * {@link ArrayBlockingQueue}, where a logging thread takes the lock to add a record and
	 * signals the consumer waiting on the condition, or JCTools'
	 * {@link MpscBlockingConsumerArrayQueue} (or its twin without {@code Unsafe}), lock-free,
	 * whose one consumer parks while it is empty and which the next record unparks.
	 */
	static final class Blocking extends CandidateQueue {

		private final BlockingQueue<LogRecord> records;

		private final Drain drain;

		private Blocking(BlockingQueue<LogRecord> records, Drain drain, int capacity, long maxBytes,
				DroppedRecords droppedRecords) {
			super(capacity, maxBytes, droppedRecords);
			this.records = records;
			this.drain = drain;
		}

		static Blocking overArray(int capacity, long maxBytes, DroppedRecords droppedRecords) {
			ArrayBlockingQueue<LogRecord> records = new ArrayBlockingQueue<>(capacity);
			return new Blocking(records, records::drainTo, capacity, maxBytes, droppedRecords);
		}

		// JCTools' blocking queues drain through MessagePassingQueue only.
		static <Q extends BlockingQueue<LogRecord> & MessagePassingQueue<LogRecord>> Blocking overJCTools(Q records,
				int capacity, long maxBytes, DroppedRecords droppedRecords) {
			return new Blocking(records, (batch, maxRecords) -> records.drain(batch::add, maxRecords), capacity,
					maxBytes, droppedRecords);
		}

		@Override
		void add(LogRecord record) {
			this.records.offer(record);
		}

		@Override
		public @Nullable LogRecord poll(Duration timeout) throws InterruptedException {
			return counted(this.records.poll(timeout.toNanos(), TimeUnit.NANOSECONDS));
		}

		@Override
		public int drainTo(List<LogRecord> batch, int maxRecords) {
			int moved = this.drain.drainTo(batch, maxRecords);
			taken(moved);
			return moved;
		}

		private interface Drain {

			int drainTo(List<LogRecord> batch, int maxRecords);

		}

	}

}
