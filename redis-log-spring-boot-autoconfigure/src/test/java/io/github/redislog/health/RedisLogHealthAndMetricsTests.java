package io.github.redislog.health;

import java.util.UUID;

import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.autoconfigure.RedisLogHealthAutoConfiguration;
import io.github.redislog.autoconfigure.RedisLogMetricsAutoConfiguration;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.metrics.RedisLogMetrics;
import io.github.redislog.test.TestRedis;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the {@code redisLog} health indicator and the Micrometer meters.
 */
class RedisLogHealthAndMetricsTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.catalog.ProductService");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogMetricsAutoConfiguration.class, RedisLogHealthAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=t" + UUID.randomUUID().toString().substring(0, 8),
				"spring.data.redis.timeout=2s");

	@AfterEach
	void restartRedis() {
		redis.server().start();
	}

	@Test
	void definesMetricsAndHealthIndicator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RedisLogMetrics.class)
			.hasSingleBean(RedisLogHealthIndicator.class));
	}

	@Test
	void definesNoMetricsWithoutMicrometer() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(MeterBinder.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisLogMetrics.class)
				.hasSingleBean(RedisLogHealthIndicator.class));
	}

	@Test
	void definesNoHealthIndicatorWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.redislog.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisLogHealthIndicator.class));
	}

	@Test
	void metersCountWhatWasOfferedPublishedAndDropped() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(RedisLogMetrics.class).bindTo(registry);
			for (int i = 0; i < 10; i++) {
				log.info("product {}", i);
			}
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			await().until(() -> counters.publishedCount() == 10);
			assertThat(registry.get("redis.log.records.offered").functionCounter().count()).isEqualTo(10);
			assertThat(registry.get("redis.log.records.published").functionCounter().count()).isEqualTo(10);
			assertThat(registry.get("redis.log.records.dropped").tag("reason", "queue_full").functionCounter().count())
				.isZero();
			assertThat(registry.get("redis.log.records.dropped").functionCounters()).hasSize(DropReason.values().length);
			assertThat(registry.get("redis.log.queue.size").gauge().value()).isZero();
			assertThat(registry.get("redis.log.queue.bytes").gauge().value()).isZero();
			assertThat(registry.get("redis.log.batch.duration").timer().count()).isPositive();
			assertThat(registry.get("redis.log.redis.errors").functionCounter().count()).isZero();
			assertThat(registry.get("redis.log.keys.refused").functionCounters()).hasSize(2)
				.allSatisfy((counter) -> assertThat(counter.count()).isZero());
		});
	}

	@Test
	void healthIsUpWhileBatchesSucceedAndDownWithTheErrorWhileRedisRefusesThem() {
		this.contextRunner.run((context) -> {
			RedisLogHealthIndicator indicator = context.getBean(RedisLogHealthIndicator.class);
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			log.info("before");
			await().until(() -> counters.publishedCount() == 1);
			Health up = indicator.health(true);
			assertThat(up.getStatus()).isEqualTo(Status.UP);
			assertThat(up.getDetails()).containsEntry("published", 1L).containsEntry("dropped.queue_full", 0L);
			redis.server().stop();
			log.info("during");
			await().until(() -> context.getBean(RedisWriteStatus.class).failingSince() != null);
			Health down = indicator.health(true);
			assertThat(down.getStatus()).isEqualTo(Status.DOWN);
			assertThat(down.getDetails()).containsKeys("error", "failingSince", "failingFor", "failedAttempts")
				.containsEntry("queueSize", 0);
			redis.server().start();
			await().until(() -> indicator.health(true).getStatus().equals(Status.UP));
			assertThat(counters.publishedCount()).isEqualTo(2);
		});
	}

	@Test
	void failingStatusIsConfigurableSoTheApplicationsOverallHealthNeedNotChange() {
		this.contextRunner.withPropertyValues("redis-log.health.failing-status=DEGRADED").run((context) -> {
			RedisLogHealthIndicator indicator = context.getBean(RedisLogHealthIndicator.class);
			redis.server().stop();
			log.info("during");
			await().until(() -> context.getBean(RedisWriteStatus.class).failingSince() != null);
			assertThat(indicator.health(false).getStatus()).isEqualTo(new Status("DEGRADED"));
		});
	}

}
