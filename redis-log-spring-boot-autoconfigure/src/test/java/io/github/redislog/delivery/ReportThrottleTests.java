package io.github.redislog.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReportThrottle}.
 */
class ReportThrottleTests {

	private static final long INTERVAL = 10_000;

	private final AtomicLong clock = new AtomicLong(1_764_205_825_000L);

	private final ReportThrottle throttle = new ReportThrottle(INTERVAL, this.clock::get);

	@Test
	void firstReportIsDueAtOnceThenAtMostOnePerInterval() {
		assertThat(this.throttle.isDue()).isTrue();
		assertThat(this.throttle.isDue()).isFalse();
		this.clock.addAndGet(INTERVAL - 1);
		assertThat(this.throttle.isDue()).isFalse();
		this.clock.addAndGet(1);
		assertThat(this.throttle.isDue()).isTrue();
		assertThat(this.throttle.isDue()).isFalse();
	}

	@Test
	void resetMakesTheNextReportDueAtOnce() {
		assertThat(this.throttle.isDue()).isTrue();
		this.throttle.reset();
		assertThat(this.throttle.isDue()).isTrue();
		assertThat(this.throttle.isDue()).isFalse();
	}

	@Test
	void takesTheTimeOfTheTroubleFromTheCaller() {
		long now = this.clock.get();
		assertThat(this.throttle.isDue(now)).isTrue();
		assertThat(this.throttle.isDue(now + INTERVAL - 1)).isFalse();
		assertThat(this.throttle.isDue(now + INTERVAL)).isTrue();
		// A little out of order, as times from several threads arrive: no reason to report.
		assertThat(this.throttle.isDue(now + INTERVAL - 500)).isFalse();
	}

	@Test
	void reportsAgainWhenTheClockWentBackByMoreThanAnInterval() {
		assertThat(this.throttle.isDue()).isTrue();
		this.clock.addAndGet(-INTERVAL - 1);
		assertThat(this.throttle.isDue()).isTrue();
		assertThat(this.throttle.isDue()).isFalse();
	}

	@Test
	void onTheSystemClockTheFirstReportIsDueAndTheNextWaitsForTheInterval() {
		ReportThrottle throttle = new ReportThrottle(Duration.ofHours(1));
		assertThat(throttle.isDue()).isTrue();
		assertThat(throttle.isDue()).isFalse();
	}

	@Test
	void givesEachDueReportToOneOfTheThreadsThatAskAtOnce() throws Exception {
		int threads = 4;
		int rounds = 1_000;
		long first = this.clock.get();
		AtomicInteger due = new AtomicInteger();
		// Each round asks once the one before it is over, one interval later.
		CyclicBarrier round = new CyclicBarrier(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> futures = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				futures.add(executor.submit(() -> {
					for (int i = 0; i < rounds; i++) {
						round.await(30, TimeUnit.SECONDS);
						if (this.throttle.isDue(first + i * INTERVAL)) {
							due.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> future : futures) {
				future.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(due.get()).isEqualTo(rounds);
	}

}
