package io.github.redislog.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.redislog.test.TestRedis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DeliveryLoop}: how it cuts the queue into batches, written to a real
 * Redis.
 */
class DeliveryLoopTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final WorkerFixture worker = new WorkerFixture(redis);

	@AfterEach
	void closeConnection() {
		this.worker.close();
	}

	@Test
	void takesAtMostBatchSizeRecordsAtATimeAndDrainsTheQueueWhenStopping() {
		this.worker.offer("one", "two", "three", "four", "five");
		this.worker.shutdown.request(Duration.ofSeconds(10));
		assertThat(loop(2, Duration.ofSeconds(10)).run(new ArrayList<>(), () -> true)).isZero();
		assertThat(this.worker.batches).containsExactly(2, 2, 1);
		assertThat(this.worker.counters.publishedCount()).isEqualTo(5);
		assertThat(this.worker.globalMessages()).containsExactly("one", "two", "three", "four", "five");
		assertThat(this.worker.queue.offer(this.worker.record("late")))
			.as("offered once the queue is drained and closed")
			.isFalse();
	}

	@Test
	void reportsWhatTheLoggingThreadsDroppedAtItsNextTurn() {
		// As a logging thread drops a record: it leaves the report to the worker.
		this.worker.dropped.add(DropReason.QUEUE_FULL, "User.alice", 1);
		assertThat(this.worker.dropReports).isEmpty();
		this.worker.offer("one");
		this.worker.shutdown.request(Duration.ofSeconds(10));
		loop(10, Duration.ZERO).run(new ArrayList<>(), () -> true);
		assertThat(this.worker.dropReports).singleElement()
			.asString()
			.contains("Dropped 1 log record(s)", "queue_full=1");
	}

	@Test
	void takesTheNextBatchWhileRedisWorksOnOneWritesItAheadWhenWholeAndKeepsTheOrder() {
		this.worker.offer("one", "two", "three", "four", "five");
		this.worker.shutdown.request(Duration.ofSeconds(10));
		assertThat(loop(2, Duration.ofSeconds(10)).run(new ArrayList<>(), () -> true)).isZero();
		assertThat(this.worker.batches).containsExactly(2, 2, 1);
		assertThat(this.worker.queuedAfterBatches).as("queued once each batch is published").containsExactly(1, 0, 0);
		assertThat(this.worker.writtenAhead).as("whole batches only").containsExactly(2);
		assertThat(this.worker.counters.publishedCount()).isEqualTo(5);
		assertThat(this.worker.globalMessages()).containsExactly("one", "two", "three", "four", "five");
	}

	@Test
	void waitsUpToTheFlushIntervalForMoreRecordsOfABatch() throws Exception {
		DeliveryLoop loop = loop(100, Duration.ofSeconds(2));
		this.worker.offer("first");
		CompletableFuture<Integer> running = CompletableFuture
			.supplyAsync(() -> loop.run(loop.newBatch(), this.worker.batches::isEmpty));
		await().pollInterval(Duration.ofMillis(5)).until(() -> this.worker.queue.size() == 0);
		this.worker.offer("second");
		assertThat(running.get(10, TimeUnit.SECONDS)).isZero();
		assertThat(this.worker.batches).containsExactly(2);
		assertThat(this.worker.globalMessages()).containsExactly("first", "second");
	}

	@Test
	void leavesWhatIsQueuedOnceTheShutdownDeadlinePassed() {
		this.worker.offer("one", "two");
		this.worker.shutdown.request(Duration.ZERO);
		List<LogRecord> batch = new ArrayList<>();
		assertThat(loop(10, Duration.ZERO).run(batch, () -> true)).isZero();
		assertThat(batch).isEmpty();
		assertThat(this.worker.batches).isEmpty();
		assertThat(this.worker.queue.size()).isEqualTo(2);
	}

	@Test
	void endsWhenTheThreadIsNoLongerTheConsumer() {
		this.worker.offer("one");
		assertThat(loop(10, Duration.ZERO).run(new ArrayList<>(), () -> false)).isZero();
		assertThat(this.worker.batches).isEmpty();
		assertThat(this.worker.queue.size()).isOne();
	}

	private DeliveryLoop loop(int batchSize, Duration flushInterval) {
		return this.worker.loop(this.worker.delivery(new JsonLogPayloadWriter(null)), batchSize, flushInterval);
	}

}
