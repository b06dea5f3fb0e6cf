package io.github.redislog.delivery;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DroppedRecords}.
 */
class DroppedRecordsTests {

	private final List<Report> reports = new CopyOnWriteArrayList<>();

	@Test
	void countsEachReasonAndTotalExactly() {
		DroppedRecords dropped = new DroppedRecords(this::collect, 10);
		dropped.add(DropReason.QUEUE_FULL, 3);
		dropped.add(DropReason.REDIS_UNAVAILABLE, 5);
		dropped.add(DropReason.SHUTDOWN, 1);
		dropped.add(DropReason.QUEUE_FULL, 2);
		assertThat(dropped.count(DropReason.QUEUE_FULL)).isEqualTo(5);
		assertThat(dropped.count(DropReason.REDIS_UNAVAILABLE)).isEqualTo(5);
		assertThat(dropped.count(DropReason.SHUTDOWN)).isOne();
		assertThat(dropped.count(DropReason.SERIALIZATION)).isZero();
		assertThat(dropped.total()).isEqualTo(11);
	}

	@Test
	void startsAtZero() {
		DroppedRecords dropped = new DroppedRecords(this::collect);
		for (DropReason reason : DropReason.values()) {
			assertThat(dropped.count(reason)).isZero();
		}
		assertThat(dropped.total()).isZero();
		assertThat(this.reports).isEmpty();
	}

	@Test
	void ignoresZeroAndNegativeCounts() {
		DroppedRecords dropped = new DroppedRecords(this::collect, 10);
		dropped.add(DropReason.QUEUE_FULL, 0);
		dropped.add(DropReason.QUEUE_FULL, -5);
		assertThat(dropped.count(DropReason.QUEUE_FULL)).isZero();
		assertThat(dropped.total()).isZero();
		assertThat(this.reports).isEmpty();
	}

	@Test
	void reportsFirstDropWithItsReason() {
		DroppedRecords dropped = new DroppedRecords(this::collect, 1_000);
		dropped.add(DropReason.REDIS_UNAVAILABLE, 1);
		assertThat(this.reports).singleElement().satisfies((report) -> {
			assertThat(report.message()).contains("redis_unavailable").contains("1 in total");
			assertThat(report.cause()).isNull();
		});
	}

	@Test
	void reportsEachTimeTotalCrossesMultipleOfReportEveryButNotEveryDrop() {
		DroppedRecords dropped = new DroppedRecords(this::collect, 10);
		List<Long> totalsAtReport = new ArrayList<>();
		for (int i = 1; i <= 35; i++) {
			int before = this.reports.size();
			dropped.add(DropReason.QUEUE_FULL, 1);
			if (this.reports.size() > before) {
				totalsAtReport.add(dropped.total());
			}
		}
		assertThat(totalsAtReport).containsExactly(1L, 10L, 20L, 30L);
		assertThat(this.reports).extracting(Report::message)
			.allSatisfy((message) -> assertThat(message).contains("queue_full"));
	}

	@Test
	void reportsBatchThatCrossesMultipleOfReportEveryOnce() {
		DroppedRecords dropped = new DroppedRecords(this::collect, 10);
		dropped.add(DropReason.SHUTDOWN, 5);
		assertThat(this.reports).hasSize(1);
		dropped.add(DropReason.SHUTDOWN, 4);
		assertThat(this.reports).hasSize(1);
		dropped.add(DropReason.SHUTDOWN, 3);
		assertThat(this.reports).hasSize(2);
		assertThat(this.reports.get(1).message()).contains("12 in total");
		dropped.add(DropReason.SHUTDOWN, 100);
		assertThat(this.reports).hasSize(3);
		dropped.add(DropReason.SHUTDOWN, 7);
		assertThat(this.reports).hasSize(3);
		assertThat(dropped.total()).isEqualTo(119);
	}

	@Test
	void reportsAcrossReasonsByTotal() {
		DroppedRecords dropped = new DroppedRecords(this::collect, 10);
		dropped.add(DropReason.QUEUE_FULL, 6);
		dropped.add(DropReason.REDIS_UNAVAILABLE, 6);
		assertThat(this.reports).hasSize(2);
		assertThat(this.reports.get(1).message()).contains("redis_unavailable").contains("12 in total");
	}

	@Test
	void usesDefaultReportInterval() {
		DroppedRecords dropped = new DroppedRecords(this::collect);
		for (int i = 0; i < 2 * DroppedRecords.DEFAULT_REPORT_EVERY; i++) {
			dropped.add(DropReason.QUEUE_FULL, 1);
		}
		assertThat(this.reports).hasSize(3);
	}

	@Test
	void countsAndReportsExactlyUnderConcurrentDrops() throws Exception {
		DroppedRecords dropped = new DroppedRecords(this::collect, 1_000);
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
						dropped.add(reason, 1);
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
			assertThat(dropped.count(reason)).isEqualTo(10_000);
		}
		assertThat(dropped.total()).isEqualTo(40_000);
		// The first drop, then one per multiple of 1,000 up to 40,000.
		assertThat(this.reports).hasSize(1 + 40);
	}

	@Test
	void rejectsNonPositiveReportInterval() {
		assertThatIllegalArgumentException().isThrownBy(() -> new DroppedRecords(this::collect, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new DroppedRecords(this::collect, -1));
	}

	private void collect(String message, @Nullable Throwable cause) {
		this.reports.add(new Report(message, cause));
	}

	record Report(String message, @Nullable Throwable cause) {

	}

}
