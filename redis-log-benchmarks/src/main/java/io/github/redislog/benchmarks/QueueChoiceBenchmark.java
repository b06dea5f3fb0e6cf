package io.github.redislog.benchmarks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecordQueue;

import org.jctools.queues.MpscArrayQueue;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;
import org.jctools.queues.varhandle.MpscBlockingConsumerVarHandleArrayQueue;
import org.jctools.queues.varhandle.MpscVarHandleArrayQueue;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds a logging thread spends offering a record to the queue in front of the
 * worker, for each candidate {@code queue}:
 * <ul>
 * <li>{@code ours}: the starter's {@link LogRecordQueue};</li>
 * <li>{@code ours-copy}: {@link CandidateQueue.Parking} over the same
 * {@link ConcurrentLinkedQueue}, which shows that the copy of the bounds the candidates use
 * costs what the starter's does;</li>
 * <li>{@code mpsc-array}, {@code mpsc-xadd}: the same over JCTools' {@link MpscArrayQueue}
 * or {@link MpscUnboundedXaddArrayQueue}; {@code mpsc-array-vh}: over
 * {@link MpscVarHandleArrayQueue}, the same queue without {@code sun.misc.Unsafe}, which
 * Java 24 and later warn about;</li>
 * <li>{@code mpsc-blocking-vh}: the same bounds over JCTools'
 * {@link MpscBlockingConsumerVarHandleArrayQueue}, whose parking consumer replaces ours
 * ({@link CandidateQueue.Blocking});</li>
 * <li>{@code blocking}: the same bounds over an {@link java.util.concurrent.ArrayBlockingQueue},
 * whose lock and condition replace the park/unpark ({@link CandidateQueue.Blocking}).</li>
 * </ul>
 * Two loads:
 * <ul>
 * <li>{@code accepted*}: one consumer takes whatever is queued, up to 100 records at a
 * time, without ever waiting, so that no offer wakes it, and the bound is raised to 2^20
 * records (no byte bound), so that the queue does not fill while the consumer waits for a
 * core: nearly every offer is accepted, and the {@code offer} figure is the cost of the
 * container;</li>
 * <li>{@code overload*}: with the default bounds, the consumer takes batches as the worker
 * does (the first record with a wait, the rest drained, lingering up to 5 ms for a batch of
 * 100) and spins 5 µs per record, about what the JVM spends delivering one: the queue stays
 * at its bound and nearly every offer is a counted drop.</li>
 * </ul>
 * Each trial prints the share of offers accepted.
 *
 * @author Redis Log contributors
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public class QueueChoiceBenchmark {

	private static final int CAPACITY = 10_000;

	private static final long MAX_BYTES = 32 * 1024 * 1024;

	private static final int BATCH_SIZE = 100;

	@Param({ "ours", "ours-copy", "mpsc-array", "mpsc-array-vh", "mpsc-xadd", "mpsc-blocking-vh", "blocking" })
	public String queue = "ours";

	private final AtomicLong offered = new AtomicLong();

	private final AtomicLong accepted = new AtomicLong();

	RecordQueue create(int capacity, long maxBytes) {
		DroppedRecords dropped = new DroppedRecords((message, cause) -> {
		});
		return switch (this.queue) {
			case "ours" -> RecordQueue.of(new LogRecordQueue(capacity, maxBytes, dropped));
			case "ours-copy" -> new CandidateQueue.Parking(new ConcurrentLinkedQueue<>(), capacity, maxBytes, dropped);
			case "mpsc-array" -> new CandidateQueue.Parking(new MpscArrayQueue<>(capacity), capacity, maxBytes, dropped);
			case "mpsc-array-vh" ->
				new CandidateQueue.Parking(new MpscVarHandleArrayQueue<>(capacity), capacity, maxBytes, dropped);
			case "mpsc-xadd" ->
				new CandidateQueue.Parking(new MpscUnboundedXaddArrayQueue<>(1024), capacity, maxBytes, dropped);
			case "mpsc-blocking-vh" -> CandidateQueue.Blocking.overJCTools(
					new MpscBlockingConsumerVarHandleArrayQueue<>(capacity), capacity, maxBytes, dropped);
			case "blocking" -> CandidateQueue.Blocking.overArray(capacity, maxBytes, dropped);
			default -> throw new IllegalArgumentException("Unknown queue " + this.queue);
		};
	}

	@TearDown(Level.Trial)
	public void report() {
		System.out.printf("%n# %s: %d offers, %.2f%% accepted%n", this.queue, this.offered.get(),
				100.0 * this.accepted.get() / Math.max(1, this.offered.get()));
	}

	@Benchmark
	@Group("accepted1Thread")
	@GroupThreads(1)
	public boolean offer(Producer producer, Taken taken) {
		return producer.offer(taken.records());
	}

	@Benchmark
	@Group("accepted1Thread")
	@GroupThreads(1)
	public int take(Taken taken) {
		return taken.take();
	}

	@Benchmark
	@Group("accepted4Threads")
	@GroupThreads(4)
	public boolean offer4(Producer producer, Taken taken) {
		return producer.offer(taken.records());
	}

	@Benchmark
	@Group("accepted4Threads")
	@GroupThreads(1)
	public int take4(Taken taken) {
		return taken.take();
	}

	@Benchmark
	@Threads(1)
	public boolean overload1Thread(Producer producer, Worker worker) {
		return producer.offer(worker.records());
	}

	@Benchmark
	@Threads(4)
	public boolean overload4Threads(Producer producer, Worker worker) {
		return producer.offer(worker.records());
	}

	/**
	 * The queue of an {@code accepted*} group and its consumer's batch: only the group's
	 * one {@code take} thread takes records.
	 */
	@State(Scope.Group)
	public static class Taken {

		private final List<LogRecord> batch = new ArrayList<>(BATCH_SIZE);

		private @Nullable RecordQueue records;

		@Setup(Level.Trial)
		public void create(QueueChoiceBenchmark benchmark) {
			this.records = benchmark.create(1 << 20, Long.MAX_VALUE);
		}

		RecordQueue records() {
			return Objects.requireNonNull(this.records);
		}

		int take() {
			RecordQueue records = records();
			int moved = records.drainTo(this.batch, BATCH_SIZE);
			records.release(this.batch);
			this.batch.clear();
			return moved;
		}

	}

	/**
	 * The queue of an {@code overload*} benchmark with a thread that consumes it as the
	 * worker does.
	 */
	@State(Scope.Benchmark)
	public static class Worker {

		private static final Duration IDLE_WAIT = Duration.ofMillis(100);

		private static final long LINGER_NANOS = Duration.ofMillis(5).toNanos();

		private static final long DELIVERY_NANOS_PER_RECORD = 5_000;

		private @Nullable RecordQueue records;

		private @Nullable Thread consumer;

		private volatile boolean consuming;

		@Setup(Level.Trial)
		public void start(QueueChoiceBenchmark benchmark) {
			RecordQueue records = benchmark.create(CAPACITY, MAX_BYTES);
			this.records = records;
			this.consuming = true;
			this.consumer = io.github.redislog.benchmarks.Threads.start("queue-consumer", () -> consume(records));
		}

		RecordQueue records() {
			return Objects.requireNonNull(this.records);
		}

		private void consume(RecordQueue records) {
			List<LogRecord> batch = new ArrayList<>(BATCH_SIZE);
			try {
				while (this.consuming) {
					LogRecord first = records.poll(IDLE_WAIT);
					if (first == null) {
						continue;
					}
					batch.add(first);
					records.drainTo(batch, BATCH_SIZE - 1);
					long lingerUntil = System.nanoTime() + LINGER_NANOS;
					while (batch.size() < BATCH_SIZE) {
						long remaining = lingerUntil - System.nanoTime();
						LogRecord next = (remaining > 0) ? records.poll(Duration.ofNanos(remaining)) : null;
						if (next == null) {
							break;
						}
						batch.add(next);
						records.drainTo(batch, BATCH_SIZE - batch.size());
					}
					spin(batch.size() * DELIVERY_NANOS_PER_RECORD);
					records.release(batch);
					batch.clear();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}

		private static void spin(long nanos) {
			long until = System.nanoTime() + nanos;
			while (System.nanoTime() - until < 0) {
				Thread.onSpinWait();
			}
		}

		@TearDown(Level.Trial)
		public void stop() throws InterruptedException {
			this.consuming = false;
			if (this.consumer != null) {
				io.github.redislog.benchmarks.Threads.join(List.of(this.consumer));
			}
		}

	}

	/**
	 * A logging thread with records made up front: making them is not what is measured.
	 */
	@State(Scope.Thread)
	public static class Producer {

		private final LogRecord[] records = new LogRecord[16];

		private long offered;

		private long accepted;

		@Setup(Level.Trial)
		public void makeRecords() {
			for (int i = 0; i < this.records.length; i++) {
				this.records[i] = new LogRecord("Order " + (40_000 + i) + " placed", "INFO", Instant.now(),
						"com.example.orders.OrderService", "http-nio-8080-exec-1", "User.bench", null, Map.of(), null,
						512);
			}
		}

		boolean offer(RecordQueue queue) {
			boolean queued = queue.offer(this.records[(int) (this.offered++ & 15)]);
			if (queued) {
				this.accepted++;
			}
			return queued;
		}

		@TearDown(Level.Iteration)
		public void count(QueueChoiceBenchmark benchmark) {
			benchmark.offered.addAndGet(this.offered);
			benchmark.accepted.addAndGet(this.accepted);
			this.offered = 0;
			this.accepted = 0;
		}

	}

	/**
	 * What the benchmark needs of a queue: {@link LogRecordQueue}'s methods for the logging
	 * threads and the worker.
	 */
	interface RecordQueue {

		boolean offer(LogRecord record);

		@Nullable LogRecord poll(Duration timeout) throws InterruptedException;

		int drainTo(List<LogRecord> batch, int maxRecords);

		void release(List<LogRecord> taken);

		static RecordQueue of(LogRecordQueue queue) {
			return new RecordQueue() {

				@Override
				public boolean offer(LogRecord record) {
					return queue.offer(record);
				}

				@Override
				public @Nullable LogRecord poll(Duration timeout) throws InterruptedException {
					return queue.poll(timeout);
				}

				@Override
				public int drainTo(List<LogRecord> batch, int maxRecords) {
					return queue.drainTo(batch, maxRecords);
				}

				@Override
				public void release(List<LogRecord> taken) {
					queue.release(taken);
				}

			};
		}

	}

}
