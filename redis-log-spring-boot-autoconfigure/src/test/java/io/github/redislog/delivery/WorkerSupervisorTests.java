package io.github.redislog.delivery;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.redislog.test.TestRedis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WorkerSupervisor}: a worker thread that the JVM's own trouble ends is
 * replaced, at most once a second, and what it held is counted. Against a real Redis.
 */
class WorkerSupervisorTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final WorkerFixture worker = new WorkerFixture(redis);

	// When the payload writer threw an Error, in System.nanoTime().
	private final List<Long> deaths = new CopyOnWriteArrayList<>();

	private final WorkerSupervisor supervisor = supervisor();

	@AfterEach
	void retireAndCloseConnection() throws InterruptedException {
		Thread thread = this.supervisor.retire();
		if (thread != null) {
			thread.join(10_000);
		}
		this.worker.close();
	}

	@Test
	void aThreadThatKeepsDyingIsReplacedAtMostOnceASecondAndItsRecordsAreCounted() {
		long started = System.nanoTime();
		this.supervisor.start();
		for (int death = 1; death <= 3; death++) {
			this.worker.offer("fatal " + death);
			long deaths = death;
			await().until(() -> this.worker.dropped.count(DropReason.WORKER_FAILED) == deaths);
			assertThat(this.worker.writeStatus.workerFailure()).contains("InternalError");
		}
		this.worker.offer("after");
		await("a new thread delivers").until(() -> this.worker.counters.publishedCount() == 1);
		// The third thread starts two restart intervals after the first at the earliest.
		assertThat(Duration.ofNanos(this.deaths.get(2) - started)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(this.worker.reports).filteredOn((report) -> report.contains("worker died")).hasSize(3);
		assertThat(this.worker.globalMessages()).containsExactly("after");
		assertThat(this.supervisor.thread()).isNotNull().satisfies((thread) -> assertThat(thread.isAlive()).isTrue());
	}

	@Test
	void recordsTakenForTheNextBatchAreCountedWhenTheThreadDiesAfterSettlingItsBatch() {
		for (int i = 0; i < 10; i++) {
			this.worker.offer("delivered " + i);
		}
		// Taken while Redis works on the first batch: the error ends the thread once it is settled.
		this.worker.offer("taken ahead", "fatal");
		this.supervisor.start();
		await().until(() -> this.worker.dropped.count(DropReason.WORKER_FAILED) == 2);
		assertThat(this.worker.counters.publishedCount()).isEqualTo(10);
		assertThat(this.worker.globalMessages()).hasSize(10).allSatisfy((message) -> assertThat(message).startsWith("delivered"));
		assertThat(this.worker.dropped.total()).isEqualTo(2);
	}

	@Test
	void aThreadThatEndsReportsWhatItDroppedLast() {
		this.worker.offer("one", "two");
		this.worker.shutdown.request(Duration.ZERO);
		this.supervisor.start();
		await().until(() -> this.worker.dropped.count(DropReason.SHUTDOWN) == 2);
		// No turn of the worker follows: the thread reports before it ends.
		await().untilAsserted(() -> assertThat(this.worker.dropReports).singleElement()
			.asString()
			.contains("Dropped 2 log record(s)", "shutdown=2"));
	}

	@Test
	void aRetiredThreadLeavesAndClosesTheQueue() throws InterruptedException {
		this.supervisor.start();
		this.worker.offer("delivered");
		await().until(() -> this.worker.counters.publishedCount() == 1);
		Thread retired = this.supervisor.retire();
		assertThat(retired).isNotNull();
		retired.join(10_000);
		assertThat(retired.isAlive()).isFalse();
		assertThat(this.supervisor.thread()).isNull();
		assertThat(this.worker.queue.offer(this.worker.record("late")))
			.as("offered once the retired thread closed the queue")
			.isFalse();
		assertThat(this.worker.dropped.count(DropReason.SHUTDOWN)).isOne();
		assertThat(this.worker.dropped.count(DropReason.WORKER_FAILED)).isZero();
	}

	private WorkerSupervisor supervisor() {
		JsonLogPayloadWriter json = new JsonLogPayloadWriter(null);
		BatchDelivery delivery = this.worker.delivery((record) -> {
			if (record.message().startsWith("fatal")) {
				this.deaths.add(System.nanoTime());
				throw new InternalError("the JVM is in trouble");
			}
			return json.write(record);
		});
		OutageReport outageReport = new OutageReport((message, cause) -> this.worker.reports.add(message));
		return new WorkerSupervisor(this.worker.loop(delivery, 10, Duration.ZERO), delivery, this.worker.queue,
				this.worker.counters, this.worker.writeStatus, outageReport, this.worker.shutdown, Duration.ofSeconds(1));
	}

}
