package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.delivery.RedisLogFaultTests.LoggingThreads;
import io.github.redislog.test.RedisSentinelProcesses;
import io.github.redislog.test.RedisServerProcess;
import io.github.redislog.writer.PipelinedRedisLogPublisher;
import io.github.redislog.writer.RedisLogPublisher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery through Redis Sentinel, configured only through
 * {@code spring.data.redis.sentinel.*}: writes follow a failover to the promoted replica
 * without a restart, and every record is published or counted as dropped.
 */
class SentinelFailoverTests {

	@RegisterExtension
	static final RedisSentinelProcesses sentinels = new RedisSentinelProcesses();

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(sentinels.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m",
				"redis-log.queue-capacity=100000", "spring.data.redis.timeout=2s");

	@Test
	void writesFollowAFailoverToThePromotedReplica() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(RedisLogPublisher.class).isInstanceOf(PipelinedRedisLogPublisher.class);
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			RedisWriteStatus writeStatus = context.getBean(RedisWriteStatus.class);
			try (LoggingThreads threads = LoggingThreads.start(2, Duration.ofMillis(2))) {
				await().until(() -> counters.publishedCount() > 1000);
				RedisServerProcess master = sentinels.master();
				Instant killed = Instant.now();
				master.kill();
				sentinels.awaitFailover(master);
				Instant promoted = Instant.now();
				await("delivery resumes").atMost(Duration.ofSeconds(20))
					.until(() -> writeStatus.lastSuccess() != null && writeStatus.lastSuccess().isAfter(promoted));
				Duration resumed = Duration.between(promoted, writeStatus.lastSuccess());
				long publishedAfter = counters.publishedCount();
				await().until(() -> counters.publishedCount() > publishedAfter + 1000);
				threads.close();
				await().atMost(Duration.ofSeconds(30)).until(() -> counters.inFlight() == 0);
				assertThat(counters.offeredCount()).isEqualTo(threads.calls())
					.isEqualTo(counters.publishedCount() + counters.dropped().total());
				System.out.printf("Sentinel failover: promoted %d ms after the kill, delivery resumed %d ms after "
						+ "the promotion; %d offered, %d published, %d dropped%n",
						Duration.between(killed, promoted).toMillis(), resumed.toMillis(), counters.offeredCount(),
						counters.publishedCount(), counters.dropped().total());
				assertThat(resumed).isLessThan(Duration.ofSeconds(10));
			}
		});
	}

}
