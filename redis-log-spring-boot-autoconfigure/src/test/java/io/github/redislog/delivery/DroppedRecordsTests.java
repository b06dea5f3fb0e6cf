package io.github.redislog.delivery;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link DroppedRecords}.
 */
class DroppedRecordsTests {

	private static final Duration INTERVAL = Duration.ofSeconds(10);

	private static final int MAX_TRACKED_CONTEXTS = 100;

	private final List<String> reports = new CopyOnWriteArrayList<>();

	private final AtomicLong clock = new AtomicLong(1_764_205_825_000L);

	private final DroppedRecords dropped = new DroppedRecords((message, cause) -> this.reports.add(message),
			INTERVAL, this.clock::get, MAX_TRACKED_CONTEXTS);

	@Test
	void countsEachReasonAndTotalExactly() {
		this.dropped.add(DropReason.QUEUE_FULL, null, 3);
		this.dropped.add(DropReason.REDIS_UNAVAILABLE, "User.alice", 5);
		this.dropped.add(DropReason.SHUTDOWN, null, 1);
		this.dropped.add(DropReason.QUEUE_FULL, "job_1", 2);
		assertThat(this.dropped.count(DropReason.QUEUE_FULL)).isEqualTo(5);
		assertThat(this.dropped.count(DropReason.REDIS_UNAVAILABLE)).isEqualTo(5);
		assertThat(this.dropped.count(DropReason.SHUTDOWN)).isOne();
		assertThat(this.dropped.count(DropReason.SERIALIZATION)).isZero();
		assertThat(this.dropped.total()).isEqualTo(11);
	}

	@Test
	void ignoresNonPositiveCounts() {
		this.dropped.add(DropReason.QUEUE_FULL, null, 0);
		this.dropped.add(DropReason.QUEUE_FULL, null, -5);
		this.dropped.reportIfDue();
		assertThat(this.dropped.total()).isZero();
		assertThat(this.dropped.takeGaps()).isEmpty();
		assertThat(this.reports).isEmpty();
	}

	@Test
	void leavesTheReportToTheWorkerThenAtMostOneSummaryPerInterval() {
		this.dropped.add(DropReason.QUEUE_FULL, null, 1);
		// A logging thread that drops a record does not report it: the worker does.
		assertThat(this.reports).isEmpty();
		this.dropped.reportIfDue();
		assertThat(this.reports).singleElement().asString().contains("Dropped 1 log record(s)", "queue_full=1");
		for (int i = 0; i < 10_000; i++) {
			this.dropped.add(DropReason.QUEUE_FULL, null, 1);
			this.dropped.reportIfDue();
		}
		assertThat(this.reports).hasSize(1);
		this.clock.addAndGet(INTERVAL.toMillis());
		this.dropped.add(DropReason.SHUTDOWN, null, 2);
		assertThat(this.reports).hasSize(1);
		this.dropped.reportIfDue();
		assertThat(this.reports).hasSize(2)
			.last()
			.asString()
			.contains("Dropped 10002 log record(s) since the last report", "10003 in total", "queue_full=10001",
					"shutdown=2");
	}

	@Test
	void collectsOneGapPerContextAndReasonUntilTaken() {
		this.dropped.add(DropReason.QUEUE_FULL, "User.alice", 3);
		this.dropped.add(DropReason.QUEUE_FULL, "User.alice", 4);
		this.dropped.add(DropReason.QUEUE_FULL, null, 1);
		this.dropped.add(DropReason.SERIALIZATION, "User.alice", 1);
		List<DroppedGap> gaps = this.dropped.takeGaps();
		assertThat(gaps).extracting(DroppedGap::contextId, DroppedGap::reason, DroppedGap::records)
			.containsExactlyInAnyOrder(tuple("User.alice", DropReason.QUEUE_FULL, 7L),
					tuple(null, DropReason.QUEUE_FULL, 1L),
					tuple("User.alice", DropReason.SERIALIZATION, 1L));
		assertThat(gaps).allSatisfy((gap) -> assertThat(gap.first()).isBeforeOrEqualTo(gap.last()));
		assertThat(gaps.get(0).describe()).matches("\\d+ log records dropped \\(\\w+\\) between .+ and .+");
		assertThat(this.dropped.takeGaps()).isEmpty();
		assertThat(this.dropped.total()).isEqualTo(9);
	}

	@Test
	void tracksAtMostTheMaximumContextsPerReasonAndNotesTheOthersTogetherOnTheGlobalStream() {
		for (int i = 0; i < 100_000; i++) {
			this.dropped.add(DropReason.QUEUE_FULL, "job_" + i, 1);
		}
		this.dropped.add(DropReason.QUEUE_FULL, "job_7", 1);
		assertThat(this.dropped.openGaps()).isEqualTo(MAX_TRACKED_CONTEXTS + 1);
		List<DroppedGap> gaps = this.dropped.takeGaps();
		assertThat(records(gaps)).isEqualTo(100_001);
		assertThat(gaps).filteredOn(DroppedGap::otherContexts)
			.singleElement()
			.satisfies((others) -> {
				assertThat(others.records()).isEqualTo(100_000 - MAX_TRACKED_CONTEXTS);
				assertThat(others.noteContextId()).isNull();
				assertThat(others.describe()).matches("99900 log records of other contexts dropped \\(queue_full\\) .+");
			});
		assertThat(gaps).filteredOn((gap) -> "job_7".equals(gap.contextId()))
			.singleElement()
			.satisfies((gap) -> assertThat(gap.records()).isEqualTo(2));
		this.dropped.add(DropReason.QUEUE_FULL, "job_100000", 1);
		assertThat(this.dropped.takeGaps()).singleElement()
			.satisfies((gap) -> assertThat(gap.noteContextId()).isEqualTo("job_100000"));
	}

	@Test
	void notesRejectedRecordsOfAContextOnTheGlobalStreamNamingTheContext() {
		this.dropped.add(DropReason.REJECTED, "User.bob", 3);
		assertThat(this.dropped.takeGaps()).singleElement().satisfies((gap) -> {
			assertThat(gap.noteContextId()).isNull();
			assertThat(gap.describe()).startsWith("3 log records of User.bob dropped (rejected) between ");
		});
	}

	@Test
	void aReporterThatThrowsDoesNotReachTheCaller() {
		DroppedRecords dropped = new DroppedRecords((message, cause) -> {
			throw new IllegalStateException("reporter broken");
		}, INTERVAL, this.clock::get, MAX_TRACKED_CONTEXTS);
		dropped.add(DropReason.QUEUE_FULL, null, 1);
		dropped.reportIfDue();
		assertThat(dropped.total()).isOne();
	}

	@Test
	void countsExactlyUnderConcurrentDrops() throws Exception {
		List<DropReason> reasons = List.of(DropReason.QUEUE_FULL, DropReason.REDIS_UNAVAILABLE, DropReason.SHUTDOWN,
				DropReason.SERIALIZATION);
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (DropReason reason : reasons) {
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < 10_000; i++) {
						this.dropped.add(reason, "job_" + (i % 3), 1);
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		for (DropReason reason : reasons) {
			assertThat(this.dropped.count(reason)).isEqualTo(10_000);
		}
		assertThat(this.dropped.total()).isEqualTo(40_000);
		List<DroppedGap> gaps = this.dropped.takeGaps();
		assertThat(gaps).hasSize(12);
		assertThat(gaps.stream().mapToLong(DroppedGap::records).sum()).isEqualTo(40_000);
		this.dropped.reportIfDue();
		this.dropped.reportIfDue();
		assertThat(this.reports).hasSize(1);
	}

	@Test
	void timesGapByTheFirstAndLastRecordItHolds() {
		long start = this.clock.get();
		this.dropped.add(DropReason.QUEUE_FULL, "job_1", 1, start + 2_000);
		this.dropped.add(DropReason.QUEUE_FULL, "job_1", 1, start + 5_000);
		this.dropped.add(DropReason.QUEUE_FULL, "job_1", 1, start);
		this.dropped.add(DropReason.QUEUE_FULL, "job_1", 1, start + 3_000);
		assertThat(this.dropped.takeGaps()).singleElement().satisfies((gap) -> {
			assertThat(gap.first()).isEqualTo(Instant.ofEpochMilli(start));
			assertThat(gap.last()).isEqualTo(Instant.ofEpochMilli(start + 5_000));
			assertThat(gap.records()).isEqualTo(4);
		});
	}

	@Test
	void timesDropsWithoutTimestampByTheClock() {
		this.dropped.add(DropReason.SHUTDOWN, null, 1);
		this.clock.addAndGet(1_000);
		this.dropped.add(DropReason.SHUTDOWN, null, 1);
		assertThat(this.dropped.takeGaps()).singleElement()
			.satisfies((gap) -> assertThat(Duration.between(gap.first(), gap.last())).isEqualTo(Duration.ofSeconds(1)));
	}

	@Test
	void reportsAgainWhenTheClockWentBack() {
		this.dropped.add(DropReason.QUEUE_FULL, null, 1);
		this.dropped.reportIfDue();
		this.clock.addAndGet(-Duration.ofHours(1).toMillis());
		this.dropped.add(DropReason.QUEUE_FULL, null, 1);
		this.dropped.reportIfDue();
		this.dropped.add(DropReason.QUEUE_FULL, null, 1);
		this.dropped.reportIfDue();
		assertThat(this.reports).hasSize(2);
		assertThat(this.reports.get(1)).contains("Dropped 1 log record(s) since the last report; 2 in total");
	}

	@Test
	void takingGapsLeavesNoneOpenAndLaterDropsOpenNewOnes() {
		this.dropped.add(DropReason.QUEUE_FULL, "job_1", 2);
		this.dropped.add(DropReason.QUEUE_FULL, null, 1);
		assertThat(this.dropped.openGaps()).isEqualTo(2);
		assertThat(this.dropped.takeGaps()).extracting(DroppedGap::contextId, DroppedGap::records)
			.containsExactlyInAnyOrder(tuple("job_1", 2L), tuple(null, 1L));
		assertThat(this.dropped.openGaps()).isZero();
		this.dropped.add(DropReason.QUEUE_FULL, "job_1", 3);
		assertThat(this.dropped.takeGaps()).extracting(DroppedGap::contextId, DroppedGap::records)
			.containsExactly(tuple("job_1", 3L));
		assertThat(this.dropped.takeGaps()).isEmpty();
		assertThat(this.dropped.openGaps()).isZero();
		assertThat(this.dropped.total()).isEqualTo(6);
	}

	@Test
	void notesEachDropInExactlyOneGapWhileGapsAreTakenConcurrently() throws Exception {
		int threads = 4;
		int dropsPerThread = 50_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		long noted = 0;
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					start.await();
					for (int i = 0; i < dropsPerThread; i++) {
						// Contexts that drop in bursts, so that their gaps close and reopen.
						this.dropped.add(DropReason.QUEUE_FULL, ((i / 100) % 2 == 0) ? "job_" + (i % 3) : null, 1);
					}
					return null;
				}));
			}
			start.countDown();
			while (!futures.stream().allMatch(Future::isDone)) {
				noted += records(this.dropped.takeGaps());
			}
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		noted += records(this.dropped.takeGaps());
		assertThat(noted).isEqualTo(threads * dropsPerThread);
		assertThat(this.dropped.total()).isEqualTo(threads * dropsPerThread);
	}

	@Test
	void dropAllocatesNothingOnceItsGapIsOpen() {
		com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		this.dropped.add(DropReason.QUEUE_FULL, "User.alice", 1);
		long before = threads.getCurrentThreadAllocatedBytes();
		for (int i = 0; i < 100_000; i++) {
			this.dropped.add(DropReason.QUEUE_FULL, "User.alice", 1);
		}
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(allocated).as("bytes allocated by 100,000 drops").isLessThan(100_000);
		assertThat(this.dropped.takeGaps()).singleElement().extracting(DroppedGap::records).isEqualTo(100_001L);
	}

	@Test
	void rejectsNegativeReportInterval() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new DroppedRecords((message, cause) -> {
			}, Duration.ofSeconds(-1), System::currentTimeMillis, MAX_TRACKED_CONTEXTS));
	}

	private static long records(List<DroppedGap> gaps) {
		return gaps.stream().mapToLong(DroppedGap::records).sum();
	}

}
