package io.github.redislog.delivery;

import java.time.Duration;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * A job's owner key lives as long as its stream: writes that name no owner (a thread that
 * carries the job but not its owner, a note about dropped records) refresh it too, so the
 * owner never loses access while the stream lives and nobody can claim the job in between.
 */
class OwnerKeyLifetimeTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.reports.ReportJob");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m");

	@Test
	void ownerKeyTimeToLiveFollowsItsStreamAfterWritesWithoutAnOwner() {
		String jobId = RedisLogContext.newJobId("task");
		this.contextRunner.run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
					RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
				log.info("started");
			}
			await().until(() -> "User.alice".equals(redis.template().opsForValue().get(ownerKey(jobId))));
			shortenOwnerKey(jobId);
			try (MDC.MDCCloseable job = MDC.putCloseable(RedisLogContext.MDC_KEY, jobId)) {
				log.info("step without an owner");
			}
			awaitOwnerKeyLivesAsLongAsStream(jobId);
			shortenOwnerKey(jobId);
			// As a full queue does: the next batch notes the gap in the job's stream.
			counters.dropped().add(DropReason.QUEUE_FULL, jobId, 1);
			log.info("outside the job");
			await().until(() -> this.streams.messages(streamKey(jobId))
				.stream()
				.anyMatch((message) -> message.contains("dropped (queue_full)")));
			awaitOwnerKeyLivesAsLongAsStream(jobId);
		});
	}

	private void shortenOwnerKey(String jobId) {
		redis.template().expire(ownerKey(jobId), Duration.ofSeconds(60));
	}

	private void awaitOwnerKeyLivesAsLongAsStream(String jobId) {
		await().untilAsserted(() -> {
			long streamTtl = redis.template().getExpire(streamKey(jobId));
			assertThat(streamTtl).isGreaterThan(3000);
			assertThat(redis.template().getExpire(ownerKey(jobId))).isCloseTo(streamTtl, within(1L));
		});
	}

	private String streamKey(String jobId) {
		return "stream:" + this.prefix + ":" + jobId;
	}

	private String ownerKey(String jobId) {
		return "owner:" + this.prefix + ":" + jobId;
	}

}
