package io.github.redislog.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.autoconfigure.RedisLogHealthAutoConfiguration;
import io.github.redislog.autoconfigure.RedisLogMetricsAutoConfiguration;
import io.github.redislog.metrics.RedisLogMetrics;
import io.github.redislog.support.TroubleReporter;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import io.github.redislog.writer.RecordingLogCommands;
import io.github.redislog.writer.RedisLogPublisher;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.pause.PauseDetector;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The worker survives what its collaborators throw: a payload writer, a meter, a JVM error
 * that ends its thread; and it stops and starts again with one consumer of the queue at a
 * time. Against the test's own {@code redis-server}.
 */
class RedisLogWorkerResilienceTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.billing.InvoiceService");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogHealthAutoConfiguration.class, RedisLogMetricsAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m",
				"spring.data.redis.timeout=5s");

	@AfterEach
	void unpause() {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", "UNPAUSE".getBytes()));
	}

	@Test
	void aPayloadWriterThatThrowsCostsOnlyItsOwnRecords() {
		this.contextRunner.withUserConfiguration(ThrowingPayloadWriterConfiguration.class).run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			for (int i = 0; i < 30; i++) {
				log.info("ordinary {}", i);
				log.info("poison {}", i);
				log.info("assert {}", i);
			}
			await().until(() -> counters.inFlight() == 0);
			assertThat(counters.publishedCount()).isEqualTo(30);
			assertThat(counters.dropped().count(DropReason.SERIALIZATION)).isEqualTo(60);
			assertThat(counters.offeredCount()).isEqualTo(counters.publishedCount() + counters.dropped().total());
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
		});
		assertThat(this.streams.recordMessages("stream:" + this.prefix + ":global")).hasSize(30)
			.doesNotHaveDuplicates()
			.allSatisfy((message) -> assertThat(message).startsWith("ordinary"));
	}

	@Test
	void aWorkerThatAnErrorOfTheJvmEndsIsReplacedAndHealthSaysWhy() {
		this.contextRunner.withUserConfiguration(ThrowingPayloadWriterConfiguration.class)
			.withPropertyValues("redis-log.flush-interval=50ms")
			.run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				log.info("before");
				await().until(() -> counters.publishedCount() == 1);
				log.info("fatal");
				await().until(() -> counters.dropped().count(DropReason.WORKER_FAILED) == 1);
				Health down = health(context);
				assertThat(down.getStatus()).isEqualTo(Status.DOWN);
				assertThat(down.getDetails()).extractingByKey("workerFailure")
					.asString()
					.contains("InternalError", "fatal");
				for (int i = 0; i < 10; i++) {
					log.info("after {}", i);
				}
				await("a new worker delivers").until(() -> counters.publishedCount() == 11);
				assertThat(Thread.getAllStackTraces().keySet())
					.filteredOn((thread) -> thread.getName().equals("redis-log-worker"))
					.hasSize(1);
				assertThat(health(context).getStatus()).isEqualTo(Status.UP);
				assertThat(counters.offeredCount()).isEqualTo(counters.publishedCount() + counters.dropped().total());
			});
	}

	@Test
	void aMeterThatThrowsAfterADeliveredBatchDoesNotMakeItLookFailed() {
		this.contextRunner.run((context) -> {
			context.getBean(RedisLogMetrics.class).bindTo(new ThrowingTimerRegistry());
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			for (int i = 0; i < 100; i++) {
				log.info("measured {}", i);
			}
			await().until(() -> counters.inFlight() == 0);
			assertThat(counters.publishedCount()).isEqualTo(100);
			assertThat(counters.dropped().total()).isZero();
			assertThat(context.getBean(RedisWriteStatus.class).failedAttempts()).isZero();
		});
		assertThat(this.streams.recordMessages("stream:" + this.prefix + ":global")).hasSize(100).doesNotHaveDuplicates();
	}

	@Test
	void stopLeavesTheQueueToTheWorkerThreadAndStartAfterStopDelivers() {
		this.contextRunner.withUserConfiguration(RecordingReporterConfiguration.class)
			.withPropertyValues("redis-log.shutdown-timeout=500ms")
			.run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				RedisLogWorker worker = context.getBean(RedisLogWorker.class);
				List<String> reportingThreads = context.getBean(RecordingReporterConfiguration.class).threads;
				log.info("warm up");
				await().until(() -> counters.publishedCount() == 1);
				redis.template()
					.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", "PAUSE".getBytes(),
							"3000".getBytes(), "ALL".getBytes()));
				for (int i = 0; i < 500; i++) {
					log.info("held {}", i);
				}
				long stopping = System.nanoTime();
				worker.stop();
				assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(3));
				assertThat(worker.isRunning()).isFalse();
				assertThat(counters.inFlight()).isZero();
				assertThat(counters.dropped().count(DropReason.SHUTDOWN)
						+ counters.dropped().count(DropReason.REDIS_UNAVAILABLE)).isEqualTo(500);
				assertThat(reportingThreads).contains("redis-log-worker");
				unpause();
				worker.start();
				log.info("after restart");
				await().until(() -> counters.publishedCount() == 2);
				assertThat(counters.offeredCount()).isEqualTo(counters.publishedCount() + counters.dropped().total());
			});
	}

	@Test
	void aPublisherOfTheApplicationsOwnThatNeverAnswersHoldsUpABatchForBoundedAttempts() {
		this.contextRunner.withBean(RedisLogPublisher.class, () -> (batch) -> batch.write(new RecordingLogCommands()))
			.run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				for (int i = 0; i < 10; i++) {
					log.info("unanswered {}", i);
				}
				await().atMost(Duration.ofSeconds(5)).until(() -> counters.inFlight() == 0);
				assertThat(counters.dropped().count(DropReason.NO_REPLY)).isEqualTo(10);
				assertThat(counters.offeredCount()).isEqualTo(counters.publishedCount() + counters.dropped().total());
				assertThat(health(context).getDetails()).containsEntry("dropped.no_reply", 10L);
			});
	}

	private static Health health(org.springframework.context.ApplicationContext context) {
		return context.getBean("redisLogHealthIndicator", HealthIndicator.class).health(true);
	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingPayloadWriterConfiguration {

		@Bean
		LogPayloadWriter throwingPayloadWriter() {
			JsonLogPayloadWriter json = new JsonLogPayloadWriter(null);
			return (record) -> {
				String message = record.message();
				if (message.startsWith("poison")) {
					throw new IllegalStateException("cannot write " + message);
				}
				if (message.startsWith("assert")) {
					throw new AssertionError("cannot write " + message);
				}
				if (message.startsWith("fatal")) {
					throw new InternalError("fatal: the JVM is in trouble");
				}
				return json.write(record);
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingReporterConfiguration {

		final List<String> threads = new CopyOnWriteArrayList<>();

		@Bean
		TroubleReporter recordingTroubleReporter() {
			return (message, cause) -> {
				if (message.contains("did not finish within the shutdown timeout")) {
					this.threads.add(Thread.currentThread().getName());
				}
			};
		}

	}

	/**
	 * A registry whose timers throw when they record.
	 */
	static final class ThrowingTimerRegistry extends SimpleMeterRegistry {

		@Override
		protected Timer newTimer(Meter.Id id, DistributionStatisticConfig distributionStatisticConfig,
				PauseDetector pauseDetector) {
			return new CumulativeTimer(id, Clock.SYSTEM, distributionStatisticConfig, pauseDetector,
					TimeUnit.SECONDS, false) {

				@Override
				protected void recordNonNegative(long amount, TimeUnit unit) {
					throw new IllegalStateException("meter broken");
				}

			};
		}

	}

}
