package io.github.redislog.delivery;

import java.util.List;
import java.util.UUID;

import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.test.BackendLogging;
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
 * Two application contexts run the starter in one JVM, on the backend's one root logger: each
 * record is captured and delivered once, by the most recently started context, and the
 * other takes over when it closes.
 */
class OneDeliveryPerJvmTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.inventory.StockService");

	private final String firstPrefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final String secondPrefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	@Test
	void theMostRecentlyStartedContextDeliversAndTheOtherTakesOverWhenItCloses() {
		contextRunner(this.firstPrefix).run((first) -> {
			DeliveryCounters firstCounters = first.getBean(DeliveryCounters.class);
			contextRunner(this.secondPrefix).run((second) -> {
				DeliveryCounters secondCounters = second.getBean(DeliveryCounters.class);
				assertThat(BackendLogging.takesTheEvents(second)).isTrue();
				assertThat(BackendLogging.takesTheEvents(first)).isFalse();
				for (int i = 0; i < 100; i++) {
					log.info("while both run {}", i);
				}
				await().until(() -> secondCounters.publishedCount() == 100);
				assertThat(firstCounters.offeredCount()).isZero();
			});
			assertThat(BackendLogging.takesTheEvents(first)).isTrue();
			for (int i = 0; i < 100; i++) {
				log.info("after the second closed {}", i);
			}
			await().until(() -> firstCounters.publishedCount() == 100);
		});
		List<String> first = messagesOfTheTest(this.firstPrefix);
		List<String> second = messagesOfTheTest(this.secondPrefix);
		assertThat(second).hasSize(100).doesNotHaveDuplicates().allSatisfy((message) -> assertThat(message).startsWith("while both run"));
		assertThat(first).hasSize(100)
			.doesNotHaveDuplicates()
			.allSatisfy((message) -> assertThat(message).startsWith("after the second closed"));
	}

	private ApplicationContextRunner contextRunner(String prefix) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
			.withPropertyValues(redis.properties())
			.withPropertyValues("redis-log.channel-prefix=" + prefix, "redis-log.pattern=%m");
	}

	private List<String> messagesOfTheTest(String prefix) {
		return this.streams.payloads("stream:" + prefix + ":global")
			.stream()
			.filter((payload) -> log.getName().equals(payload.get("logger")))
			.map((payload) -> String.valueOf(payload.get("message")))
			.toList();
	}

}
