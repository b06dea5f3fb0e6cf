package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link LogRecordQueue}.
 */
class LogRecordQueueTests {

	private final List<String> reports = new CopyOnWriteArrayList<>();

	private final DroppedRecords droppedRecords = new DroppedRecords((message, cause) -> this.reports.add(message));

	private final ExecutorService executor = Executors.newFixedThreadPool(5);

	@AfterEach
	void shutDownExecutor() throws InterruptedException {
		this.executor.shutdownNow();
		assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
	}

	@Test
	void dropsRecordsBeyondCapacityAndCountsThemAsQueueFull() {
		LogRecordQueue queue = new LogRecordQueue(10, Long.MAX_VALUE, this.droppedRecords);
		int accepted = 0;
		for (int i = 0; i < 25; i++) {
			if (queue.offer(record("m" + i, 1))) {
				accepted++;
			}
		}
		assertThat(accepted).isEqualTo(10);
		assertThat(queue.size()).isEqualTo(10);
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isEqualTo(15);
		assertThat(this.droppedRecords.total()).isEqualTo(15);
	}

	@Test
	void aClosedQueueKeepsWhatWasOfferedBeforeAndCountsLaterRecordsAsDroppedAtShutdown() throws Exception {
		LogRecordQueue queue = new LogRecordQueue(1000, Long.MAX_VALUE, this.droppedRecords);
		CountDownLatch started = new CountDownLatch(4);
		List<Future<Integer>> offering = new ArrayList<>();
		for (int t = 0; t < 4; t++) {
			offering.add(this.executor.submit(() -> {
				started.countDown();
				int accepted = 0;
				for (int i = 0; i < 200; i++) {
					accepted += queue.offer(record("m" + i, 1)) ? 1 : 0;
				}
				return accepted;
			}));
		}
		started.await();
		queue.close();
		List<LogRecord> remaining = new ArrayList<>();
		queue.drainTo(remaining, Integer.MAX_VALUE);
		int accepted = 0;
		for (Future<Integer> offers : offering) {
			accepted += offers.get(10, TimeUnit.SECONDS);
		}
		assertThat(remaining).hasSize(accepted);
		assertThat(queue.size()).isZero();
		assertThat(this.droppedRecords.count(DropReason.SHUTDOWN)).isEqualTo(800 - accepted);
		queue.open();
		assertThat(queue.offer(record("after", 1))).isTrue();
	}

	@Test
	void keepsOldestRecordsWhenFull() {
		LogRecordQueue queue = new LogRecordQueue(3, Long.MAX_VALUE, this.droppedRecords);
		for (int i = 0; i < 5; i++) {
			queue.offer(record("m" + i, 1));
		}
		List<LogRecord> batch = new ArrayList<>();
		queue.drainTo(batch, 10);
		assertThat(batch).extracting(LogRecord::message).containsExactly("m0", "m1", "m2");
	}

	@Test
	void dropsRecordsBeyondByteBoundAndCountsThemAsQueueFull() {
		LogRecordQueue queue = new LogRecordQueue(1_000, 1_000, this.droppedRecords);
		int accepted = 0;
		for (int i = 0; i < 25; i++) {
			if (queue.offer(record("m" + i, 100))) {
				accepted++;
			}
		}
		assertThat(accepted).isEqualTo(10);
		assertThat(queue.size()).isEqualTo(10);
		assertThat(queue.bytes()).isEqualTo(1_000);
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isEqualTo(15);
		assertThat(this.droppedRecords.total()).isEqualTo(15);
	}

	@Test
	void dropsRecordLargerThanByteBound() {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		assertThat(queue.offer(record("huge", 1_001))).isFalse();
		assertThat(queue.size()).isZero();
		assertThat(queue.bytes()).isZero();
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isOne();
	}

	@Test
	void releasesBytesOfRecordItDrops() {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		assertThat(queue.offer(record("a", 900))).isTrue();
		assertThat(queue.offer(record("b", 200))).isFalse();
		assertThat(queue.offer(record("c", 100))).isTrue();
		assertThat(queue.bytes()).isEqualTo(1_000);
		assertThat(queue.size()).isEqualTo(2);
	}

	@Test
	void releasesBytesOfRecordDroppedForCapacity() {
		LogRecordQueue queue = new LogRecordQueue(1, 1_000, this.droppedRecords);
		assertThat(queue.offer(record("a", 100))).isTrue();
		assertThat(queue.offer(record("b", 100))).isFalse();
		assertThat(queue.bytes()).isEqualTo(100);
	}

	@Test
	void drainToMovesAtMostMaxRecordsInOrderWhoseBytesCountUntilReleased() {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		for (int i = 0; i < 10; i++) {
			queue.offer(record("m" + i, 100));
		}
		List<LogRecord> batch = new ArrayList<>();
		assertThat(queue.drainTo(batch, 4)).isEqualTo(4);
		assertThat(batch).extracting(LogRecord::message).containsExactly("m0", "m1", "m2", "m3");
		assertThat(queue.size()).isEqualTo(6);
		assertThat(queue.bytes()).isEqualTo(1_000);
		assertThat(queue.offer(record("no room while the batch is held", 100))).isFalse();
		queue.release(batch);
		assertThat(queue.bytes()).isEqualTo(600);
		List<LogRecord> rest = new ArrayList<>();
		assertThat(queue.drainTo(rest, 100)).isEqualTo(6);
		queue.release(rest);
		assertThat(queue.size()).isZero();
		assertThat(queue.bytes()).isZero();
	}

	@Test
	void pollTakesOldestRecordWhoseBytesCountUntilReleased() throws InterruptedException {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		queue.offer(record("first", 300));
		queue.offer(record("second", 200));
		LogRecord record = queue.poll(Duration.ZERO);
		assertThat(record).isNotNull();
		assertThat(record.message()).isEqualTo("first");
		assertThat(queue.bytes()).isEqualTo(500);
		queue.release(List.of(record));
		assertThat(queue.bytes()).isEqualTo(200);
		assertThat(queue.poll(Duration.ZERO)).extracting(LogRecord::message).isEqualTo("second");
	}

	@Test
	void pollReturnsNullWhenNothingArrives() throws InterruptedException {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		assertThat(queue.poll(Duration.ofMillis(1))).isNull();
		assertThat(queue.bytes()).isZero();
	}

	@Test
	void consumerParksWhileQueueIsEmptyAndWakesForNextRecord() throws Exception {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		WaitingConsumer consumer = waitingConsumer(queue);
		assertThat(consumer.thread().getState()).isEqualTo(Thread.State.TIMED_WAITING);
		queue.offer(record("wake up", 1));
		assertThat(consumer.result().get(10, TimeUnit.SECONDS)).extracting(LogRecord::message).isEqualTo("wake up");
	}

	@Test
	void consumerWaitingForABatchIsWokenOnlyByTheRecordThatFillsIt() throws Exception {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		AtomicReference<Thread> thread = new AtomicReference<>();
		Future<Long> waited = this.executor.submit(() -> {
			thread.set(Thread.currentThread());
			long start = System.nanoTime();
			queue.awaitRecords(3, Duration.ofMinutes(1));
			return System.nanoTime() - start;
		});
		await().until(() -> thread.get() != null && LockSupport.getBlocker(thread.get()) == queue);
		queue.offer(record("one", 1));
		queue.offer(record("two", 1));
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> !waited.isDone() && LockSupport.getBlocker(thread.get()) == queue);
		queue.offer(record("three", 1));
		assertThat(waited.get(10, TimeUnit.SECONDS)).isLessThan(Duration.ofMinutes(1).toNanos());
		assertThat(queue.size()).isEqualTo(3);
	}

	@Test
	void consumerWaitingForABatchWakesItselfAtItsTimeout() throws Exception {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		queue.offer(record("one", 1));
		long start = System.nanoTime();
		queue.awaitRecords(3, Duration.ofMillis(50));
		assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Duration.ofMillis(50).toNanos());
		assertThat(queue.size()).isEqualTo(1);
	}

	/**
	 * One record at a time, each offered as soon as the consumer took the one before,
	 * while the consumer, after a random pause, is on its way back to parking: the offers
	 * land anywhere on that way. Both spin instead of blocking, to be that quick. A
	 * wake-up lost there would leave the consumer parked for its whole timeout.
	 */
	@Test
	void consumerWaitingForEachRecordNeverMissesItsWakeUp() {
		int records = 100_000;
		LogRecordQueue queue = new LogRecordQueue(10, Long.MAX_VALUE, this.droppedRecords);
		AtomicInteger taken = new AtomicInteger();
		assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
			Future<?> consumer = this.executor.submit(() -> {
				while (taken.get() < records) {
					spin(ThreadLocalRandom.current().nextInt(40));
					LogRecord record = queue.poll(Duration.ofMinutes(1));
					if (record != null) {
						queue.release(List.of(record));
						taken.incrementAndGet();
					}
				}
				return null;
			});
			for (int i = 0; i < records; i++) {
				while (taken.get() < i) {
					Thread.onSpinWait();
				}
				assertThat(queue.offer(record("m" + i, 1))).isTrue();
			}
			consumer.get();
		});
		assertThat(queue.size()).isZero();
		assertThat(queue.bytes()).isZero();
	}

	@Test
	void consumerWaitingForRecordsFromManyProducersGetsThemAll() throws Exception {
		LogRecordQueue queue = new LogRecordQueue(40_000, Long.MAX_VALUE, this.droppedRecords);
		Future<Integer> consumer = this.executor.submit(() -> {
			int received = 0;
			List<LogRecord> batch = new ArrayList<>();
			while (received < 4 * 10_000) {
				LogRecord first = queue.poll(Duration.ofMinutes(1));
				if (first != null) {
					batch.add(first);
					queue.drainTo(batch, 99);
					received += batch.size();
					queue.release(batch);
					batch.clear();
				}
			}
			return received;
		});
		assertThat(offerConcurrently(queue, 4, 10_000, 1)).isEqualTo(40_000);
		assertThat(consumer.get(30, TimeUnit.SECONDS)).isEqualTo(40_000);
		assertThat(queue.size()).isZero();
	}

	@Test
	void waitingConsumerThatIsInterruptedStopsWaiting() {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		WaitingConsumer consumer = waitingConsumer(queue);
		consumer.thread().interrupt();
		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> consumer.result().get(10, TimeUnit.SECONDS))
			.withCauseInstanceOf(InterruptedException.class);
	}

	@Test
	void isFullAtCountBoundUntilARecordIsTaken() throws InterruptedException {
		LogRecordQueue queue = new LogRecordQueue(2, 1_000, this.droppedRecords);
		assertThat(queue.isFull()).isFalse();
		queue.offer(record("a", 1));
		assertThat(queue.isFull()).isFalse();
		queue.offer(record("b", 1));
		assertThat(queue.isFull()).isTrue();
		assertThat(queue.poll(Duration.ZERO)).isNotNull();
		assertThat(queue.isFull()).isFalse();
	}

	@Test
	void isFullAtByteBoundUntilBytesAreReleased() {
		LogRecordQueue queue = new LogRecordQueue(10, 1_000, this.droppedRecords);
		queue.offer(record("a", 999));
		assertThat(queue.isFull()).isFalse();
		queue.offer(record("b", 1));
		assertThat(queue.isFull()).isTrue();
		List<LogRecord> batch = new ArrayList<>();
		queue.drainTo(batch, 10);
		assertThat(queue.isFull()).as("full while the taken records are not released").isTrue();
		queue.release(batch.subList(1, 2));
		assertThat(queue.isFull()).isFalse();
	}

	@Test
	void acceptsRecordsAgainOnceDrained() {
		LogRecordQueue queue = new LogRecordQueue(2, 200, this.droppedRecords);
		queue.offer(record("a", 100));
		queue.offer(record("b", 100));
		assertThat(queue.offer(record("c", 100))).isFalse();
		List<LogRecord> batch = new ArrayList<>();
		queue.drainTo(batch, 2);
		queue.release(batch);
		assertThat(queue.offer(record("d", 100))).isTrue();
		assertThat(queue.offer(record("e", 100))).isTrue();
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isOne();
	}

	@Test
	void rejectsNonPositiveBounds() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LogRecordQueue(0, 1, this.droppedRecords));
		assertThatIllegalArgumentException().isThrownBy(() -> new LogRecordQueue(-1, 1, this.droppedRecords));
		assertThatIllegalArgumentException().isThrownBy(() -> new LogRecordQueue(1, 0, this.droppedRecords));
	}

	@Test
	void countsEveryRecordConcurrentProducersOfferAsQueuedOrDropped() throws Exception {
		LogRecordQueue queue = new LogRecordQueue(1_000, Long.MAX_VALUE, this.droppedRecords);
		int accepted = offerConcurrently(queue, 4, 10_000, 10);
		assertThat(accepted).isEqualTo(1_000);
		assertThat(queue.size()).isEqualTo(1_000);
		assertThat(queue.bytes()).isEqualTo(1_000 * 10);
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isEqualTo(40_000 - 1_000);
		assertThat(this.droppedRecords.total()).isEqualTo(40_000 - 1_000);
	}

	@Test
	void countsEveryRecordConcurrentProducersOfferWhileConsumerDrains() throws Exception {
		int capacity = 1_000;
		long maxBytes = 500 * 100;
		LogRecordQueue queue = new LogRecordQueue(capacity, maxBytes, this.droppedRecords);
		AtomicBoolean producing = new AtomicBoolean(true);
		Future<Consumed> consumer = this.executor.submit(() -> {
			Consumed consumed = new Consumed();
			List<LogRecord> batch = new ArrayList<>();
			while (producing.get() || queue.size() > 0) {
				consumed.observe(queue);
				LogRecord first = queue.poll(Duration.ofMillis(1));
				if (first != null) {
					batch.add(first);
					queue.drainTo(batch, 99);
					consumed.records += batch.size();
					queue.release(batch);
					batch.clear();
				}
			}
			return consumed;
		});
		int accepted;
		try {
			accepted = offerConcurrently(queue, 4, 10_000, 100);
		}
		finally {
			producing.set(false);
		}
		Consumed consumed = consumer.get(30, TimeUnit.SECONDS);
		assertThat(consumed.records).isEqualTo(accepted);
		assertThat(consumed.maxSize).isLessThanOrEqualTo(capacity);
		assertThat(accepted + this.droppedRecords.count(DropReason.QUEUE_FULL)).isEqualTo(40_000);
		assertThat(this.droppedRecords.total()).isEqualTo(this.droppedRecords.count(DropReason.QUEUE_FULL));
		assertThat(queue.size()).isZero();
		assertThat(queue.bytes()).isZero();
	}

	private int offerConcurrently(LogRecordQueue queue, int threads, int recordsPerThread, long recordBytes)
			throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<Future<Integer>> producers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			String thread = "producer-" + t;
			producers.add(this.executor.submit(() -> {
				start.await();
				int accepted = 0;
				for (int i = 0; i < recordsPerThread; i++) {
					if (queue.offer(record(thread + "-" + i, recordBytes))) {
						accepted++;
					}
				}
				return accepted;
			}));
		}
		start.countDown();
		int accepted = 0;
		for (Future<Integer> producer : producers) {
			accepted += producer.get(30, TimeUnit.SECONDS);
		}
		return accepted;
	}

	private static void spin(int pauses) {
		for (int i = 0; i < pauses; i++) {
			Thread.onSpinWait();
		}
	}

	private static LogRecord record(String message, long estimatedBytes) {
		return new LogRecord(message, "INFO", Instant.EPOCH, "com.example.Test", "main", null, null, Map.of(), null,
				estimatedBytes);
	}

	private static final class Consumed {

		long records;

		int maxSize;

		void observe(LogRecordQueue queue) {
			this.maxSize = Math.max(this.maxSize, queue.size());
		}

	}

	// A consumer parked in poll() on the test's executor.
	private WaitingConsumer waitingConsumer(LogRecordQueue queue) {
		AtomicReference<Thread> thread = new AtomicReference<>();
		Future<LogRecord> result = this.executor.submit(() -> {
			thread.set(Thread.currentThread());
			return queue.poll(Duration.ofMinutes(1));
		});
		await().until(() -> thread.get() != null && LockSupport.getBlocker(thread.get()) == queue);
		return new WaitingConsumer(thread.get(), result);
	}

	private record WaitingConsumer(Thread thread, Future<LogRecord> result) {

	}

}
