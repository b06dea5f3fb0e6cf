package io.github.redislog.delivery;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.capture.LogEventIntake;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Log calls racing with the application context's close: every record the appender took
 * is delivered by the worker's final drain or counted as dropped, none is left in the
 * queue with no worker to take it.
 */
class StopRaceTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.batch.ImportJob");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m");

	@Test
	void everyRecordOfLogCallsRacingTheCloseIsDeliveredOrCounted() {
		this.contextRunner.run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			// An appender that took an event just before it was detached, and captures it
			// while the worker stops.
			LogEventIntake intake = new LogEventIntake(context.getBean(LogRecordQueue.class), counters);
			CountDownLatch closed = new CountDownLatch(1);
			ExecutorService threads = Executors.newFixedThreadPool(5);
			try {
				List<Future<?>> logging = new ArrayList<>();
				for (int t = 0; t < 4; t++) {
					int thread = t;
					logging.add(threads.submit(() -> {
						for (int i = 0; i < 250; i++) {
							log.info("racing {} {}", thread, i);
						}
					}));
				}
				logging.add(threads.submit(() -> intake.take("straggler", new CaptureAfter(closed))));
				await().until(() -> counters.offeredCount() >= 100);
				context.close();
				closed.countDown();
				for (Future<?> calls : logging) {
					calls.get(10, TimeUnit.SECONDS);
				}
			}
			finally {
				threads.shutdownNow();
			}
			assertThat(counters.inFlight()).isZero();
			// The straggler, offered once the worker was gone.
			assertThat(counters.dropped().count(DropReason.SHUTDOWN)).isPositive();
			assertThat(counters.offeredCount()).isGreaterThanOrEqualTo(101);
			assertThat(new RedisStreams(redis.template()).recordMessages("stream:" + this.prefix + ":global"))
				.hasSize((int) counters.publishedCount())
				.doesNotHaveDuplicates();
		});
	}

	/**
	 * Captures an event only once the application context is closed.
	 */
	private static final class CaptureAfter implements LogEventIntake.EventCapture<String> {

		private final CountDownLatch closed;

		CaptureAfter(CountDownLatch closed) {
			this.closed = closed;
		}

		@Override
		public String loggerName(String event) {
			return log.getName();
		}

		@Override
		public @Nullable String contextId(String event) {
			return null;
		}

		@Override
		public long timeMillis(String event) {
			return System.currentTimeMillis();
		}

		@Override
		public LogRecord capture(String event) {
			try {
				this.closed.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new LogRecord(event, "INFO", Instant.now(), log.getName(), Thread.currentThread().getName(), null,
					null, Map.of(), null, 100);
		}

	}

}
