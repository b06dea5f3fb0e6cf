package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.delivery.RedisLogFaultTests.LoggingThreads;
import io.github.redislog.test.RedisClusterProcesses;
import io.github.redislog.test.RedisServerProcess;
import io.github.redislog.test.RedisStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The master of the global stream's slot dies under load: delivery resumes within seconds
 * of a replica taking over, with Spring Boot's default Lettuce settings (no adaptive
 * topology refresh), and every record is published or counted as dropped.
 */
class ClusterFailoverTests {

	@RegisterExtension
	static final RedisClusterProcesses cluster = new RedisClusterProcesses();

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(cluster.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m",
				"redis-log.stream.max-length=1000000", "redis-log.queue-capacity=100000",
				"spring.data.redis.timeout=2s");

	@Test
	void deliveryResumesSoonAfterAReplicaTakesOverTheGlobalStreamsSlot() {
		String globalStream = "stream:" + this.prefix + ":global";
		this.contextRunner.run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			RedisWriteStatus writeStatus = context.getBean(RedisWriteStatus.class);
			try (LoggingThreads threads = LoggingThreads.start(4, Duration.ofMillis(2))) {
				await().until(() -> counters.publishedCount() > 2000);
				RedisServerProcess master = cluster.masterOf(globalStream);
				Instant killed = Instant.now();
				master.kill();
				// No wait for a failed write: on a busy machine Lettuce may re-route the
				// killed node's commands once the replica has taken over, and none fails.
				cluster.awaitFailover(globalStream, master);
				Instant promoted = Instant.now();
				await("delivery resumes").atMost(Duration.ofSeconds(20))
					.until(() -> writeStatus.lastSuccess() != null && writeStatus.lastSuccess().isAfter(promoted));
				Duration resumed = Duration.between(promoted, writeStatus.lastSuccess());
				long publishedAfter = counters.publishedCount();
				await().until(() -> counters.publishedCount() > publishedAfter + 2000);
				threads.close();
				await().atMost(Duration.ofSeconds(30)).until(() -> counters.inFlight() == 0);
				assertThat(counters.offeredCount()).isEqualTo(threads.calls())
					.isEqualTo(counters.publishedCount() + counters.dropped().total());
				List<String> inStream = new RedisStreams(cluster.template()).recordMessages(globalStream);
				long distinct = inStream.stream().distinct().count();
				System.out.printf(
						"Cluster failover: promoted %d ms after the kill, delivery resumed %d ms after the promotion; "
								+ "%d offered, %d published, %d dropped, %d in the stream (%d twice, %d lost with the "
								+ "unreplicated writes of the killed master)%n",
						Duration.between(killed, promoted).toMillis(), resumed.toMillis(), counters.offeredCount(),
						counters.publishedCount(), counters.dropped().total(), inStream.size(),
						inStream.size() - distinct, counters.publishedCount() - distinct);
				assertThat(resumed).isLessThan(Duration.ofSeconds(10));
			}
		});
	}

}
