package io.github.redislog.delivery;

import java.time.Duration;
import java.util.UUID;

import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.test.BackendLogging;
import io.github.redislog.test.BackendLogging.TroubleReports;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
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
 * Delivery across a Redis outage: the test stops its own {@code redis-server} and starts it
 * again on the same port.
 */
class RedisOutageIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.billing.InvoiceService");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m",
				"spring.data.redis.timeout=2s");

	@Test
	void deliveryResumesByItselfWhenRedisIsBack() {
		RedisStreams streams = new RedisStreams(redis.template());
		String globalStream = "stream:" + this.prefix + ":global";
		try (TroubleReports reports = BackendLogging.recordTroubleReports()) {
			this.contextRunner.run((context) -> {
				RedisLogWorker worker = context.getBean(RedisLogWorker.class);
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				log.info("before the outage");
				await().until(() -> worker.publishedCount() == 1);
				redis.server().stop();
				for (int i = 0; i < 100; i++) {
					log.info("during the outage {}", i);
				}
				// Held for delivery, none dropped, and the outage reported once it is noticed.
				await().untilAsserted(() -> assertThat(reports.messages()).anySatisfy((message) -> assertThat(message)
					.startsWith("[redis-log] Cannot write log records to Redis (1 failed attempt(s) so far")));
				assertThat(context.getBean(RedisWriteStatus.class).failingSince()).isNotNull();
				assertThat(counters.inFlight()).isEqualTo(100);
				assertThat(counters.dropped().total()).isZero();
				redis.server().start();
				log.info("after the outage");
				await().atMost(Duration.ofSeconds(60)).until(() -> worker.publishedCount() == 102);
				assertThat(context.getBean(DroppedRecords.class).total()).isZero();
			});
		}
		// The restarted server keeps nothing on disk: what it holds came after the restart.
		assertThat(streams.messages(globalStream)).hasSize(101)
			.startsWith("during the outage 0")
			.endsWith("after the outage");
	}

	@Test
	void recordsDroppedByAFullQueueAreReportedWhileTheOutageLasts() {
		try (TroubleReports reports = BackendLogging.recordTroubleReports()) {
			this.contextRunner.withPropertyValues("redis-log.queue-capacity=10").run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				log.info("before the outage");
				await().until(() -> counters.publishedCount() == 1);
				redis.server().stop();
				try {
					for (int i = 0; i < 100; i++) {
						log.info("during the outage {}", i);
					}
					assertThat(counters.dropped().count(DropReason.QUEUE_FULL)).isPositive();
					// The logging threads leave it to the worker, which retries meanwhile.
					await().untilAsserted(() -> assertThat(reports.messages())
						.anySatisfy((message) -> assertThat(message).startsWith("[redis-log] Dropped ")
							.contains("queue_full=")));
					assertThat(counters.publishedCount()).isOne();
				}
				finally {
					redis.server().start();
				}
			});
		}
	}

}
