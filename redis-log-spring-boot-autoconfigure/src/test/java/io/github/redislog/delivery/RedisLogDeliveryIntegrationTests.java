package io.github.redislog.delivery;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.test.BackendLogging;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * End-to-end tests of the delivery path: records logged through SLF4J arrive in a real
 * Redis under the keys, channels and payloads of the wire contract.
 */
class RedisLogDeliveryIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%level %logger{0} - %m%n");

	@Test
	void recordInJobScopeGoesToJobStreamAndGlobalStream() {
		String jobId = RedisLogContext.newJobId("task");
		this.contextRunner.run((context) -> {
			try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
				log.info("importing {} rows", 42);
			}
			log.info("outside the job");
			await().until(() -> this.streams.messages(globalStream()).size() == 2);
		});
		assertThat(this.streams.messages(stream(jobId))).containsExactly("INFO OrderService - importing 42 rows");
		assertThat(this.streams.messages(globalStream())).containsExactly("INFO OrderService - importing 42 rows",
				"INFO OrderService - outside the job");
		Map<String, Object> payload = this.streams.payloads(stream(jobId)).get(0);
		assertThat(payload).containsEntry("level", "INFO")
			.containsEntry("logger", "com.example.orders.OrderService")
			.containsEntry("context", jobId)
			.containsEntry("thread", Thread.currentThread().getName())
			.containsKey("pod");
		assertThat(new BigDecimal(payload.get("timestamp").toString()).doubleValue())
			.isCloseTo(Instant.now().toEpochMilli() / 1000.0, within(60.0));
	}

	@Test
	void streamKeysExpireAfterTheirTtl() {
		String jobId = RedisLogContext.newJobId("task");
		this.contextRunner.run((context) -> {
			try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
				log.info("with a ttl");
			}
			await().until(() -> !this.streams.messages(stream(jobId)).isEmpty());
		});
		assertThat(redis.template().getExpire(stream(jobId))).isBetween(3500L, 3600L);
		assertThat(redis.template().getExpire(globalStream())).isBetween(86300L, 86400L);
	}

	@Test
	void recordWithoutContextCreatesOnlyTheGlobalKey() {
		this.contextRunner.run((context) -> {
			for (int i = 0; i < 50; i++) {
				log.info("no context {}", i);
			}
			await().until(() -> this.streams.messages(globalStream()).size() == 50);
		});
		assertThat(this.streams.keys("stream:" + this.prefix + ":*")).containsExactly(globalStream());
	}

	@Test
	void scopeRestoresThePreviousContextWhenClosed() {
		this.contextRunner.run((context) -> {
			try (RedisLogContext.Scope outer = RedisLogContext.open("job_outer")) {
				try (RedisLogContext.Scope inner = RedisLogContext.open("job_inner")) {
					log.info("inner");
				}
				assertThat(RedisLogContext.current()).contains("job_outer");
				log.info("outer");
			}
			assertThat(RedisLogContext.current()).isEmpty();
			await().until(() -> this.streams.messages(globalStream()).size() == 2);
		});
		assertThat(this.streams.messages(stream("job_inner"))).containsExactly("INFO OrderService - inner");
		assertThat(this.streams.messages(stream("job_outer"))).containsExactly("INFO OrderService - outer");
	}

	@Test
	void jobOpenedByAUserIsOwnedByThatUser() {
		String jobId = RedisLogContext.newJobId("report");
		String stepId = RedisLogContext.newJobId("step");
		String orphanId = RedisLogContext.newJobId("cron");
		this.contextRunner.run((context) -> {
			try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice")) {
				try (RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
					log.info("job");
					try (RedisLogContext.Scope step = RedisLogContext.open(stepId)) {
						log.info("step");
					}
				}
			}
			try (RedisLogContext.Scope job = RedisLogContext.open(orphanId)) {
				log.info("nobody's job");
			}
			await().until(() -> this.streams.messages(globalStream()).size() == 3);
		});
		assertThat(redis.template().opsForValue().get("owner:" + this.prefix + ":" + jobId)).isEqualTo("User.alice");
		assertThat(redis.template().opsForValue().get("owner:" + this.prefix + ":" + stepId)).isEqualTo("User.alice");
		assertThat(redis.template().getExpire("owner:" + this.prefix + ":" + jobId)).isBetween(3500L, 3600L);
		assertThat(redis.template().hasKey("owner:" + this.prefix + ":" + orphanId)).isFalse();
		assertThat(this.streams.payloads(stream(jobId)).get(0)).doesNotContainKey("mdc");
	}

	@Test
	void concurrentJobsOnDifferentThreadsKeepTheirOwnStreams() {
		int jobs = 4;
		int recordsPerJob = 200;
		List<String> jobIds = new ArrayList<>();
		for (int i = 0; i < jobs; i++) {
			jobIds.add(RedisLogContext.newJobId("job" + i));
		}
		this.contextRunner.run((context) -> {
			ExecutorService executor = Executors.newFixedThreadPool(jobs);
			try {
				List<Future<?>> futures = new ArrayList<>();
				for (String jobId : jobIds) {
					futures.add(executor.submit(() -> {
						try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
							for (int i = 0; i < recordsPerJob; i++) {
								log.info("{} step {}", jobId, i);
							}
						}
					}));
				}
				for (Future<?> future : futures) {
					future.get();
				}
			}
			finally {
				executor.shutdown();
			}
			await().until(() -> this.streams.messages(globalStream()).size() == jobs * recordsPerJob);
		});
		for (String jobId : jobIds) {
			List<Map<String, Object>> payloads = this.streams.payloads(stream(jobId));
			assertThat(payloads).hasSize(recordsPerJob)
				.allSatisfy((payload) -> assertThat(payload).containsEntry("context", jobId));
			assertThat(payloads).extracting((payload) -> (String) payload.get("message"))
				.allSatisfy((message) -> assertThat(message).contains(jobId));
		}
	}

	@Test
	void streamIsTrimmedToAboutMaxLength() {
		this.contextRunner.withPropertyValues("redis-log.stream.max-length=100").run((context) -> {
			for (int i = 0; i < 1000; i++) {
				log.info("record {}", i);
			}
			await().until(() -> context.getBean(RedisLogWorker.class).publishedCount() == 1000);
		});
		// MAXLEN ~ trims whole stream nodes (100 entries each by default), never below 100
		assertThat(redis.template().opsForStream().size(globalStream())).isBetween(100L, 200L);
	}

	@Test
	void oversizedMessageIsTruncatedWithMarker() {
		this.contextRunner.withPropertyValues("redis-log.max-message-size=1KB", "redis-log.pattern=%m").run((context) -> {
			log.info("x".repeat(100_000));
			await().until(() -> this.streams.messages(globalStream()).size() == 1);
		});
		assertThat(this.streams.messages(globalStream()).get(0)).startsWith("x".repeat(1024))
			.endsWith("... [truncated " + (100_000 - 1024) + " characters]");
	}

	@Test
	void recordIsPublishedOnItsChannels() throws Exception {
		String jobId = RedisLogContext.newJobId("live");
		List<String> received = new CopyOnWriteArrayList<>();
		RedisMessageListenerContainer listeners = new RedisMessageListenerContainer();
		listeners.setConnectionFactory(redis.template().getConnectionFactory());
		listeners.addMessageListener((message, pattern) -> received.add(new String(message.getChannel())),
				List.of(new ChannelTopic(this.prefix + ":" + jobId), new ChannelTopic(this.prefix + ":global")));
		listeners.afterPropertiesSet();
		listeners.start();
		try {
			this.contextRunner.run((context) -> await().untilAsserted(() -> {
				try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
					log.info("live");
				}
				assertThat(received).contains(this.prefix + ":" + jobId, this.prefix + ":global");
			}));
		}
		finally {
			listeners.stop();
			listeners.destroy();
		}
	}

	@Test
	void neverPublishesRecordsOfTheRedisClientOrTheWorker() {
		// None of them has a level of its own in the tests' logging configuration.
		List<String> chatty = List.of("io.lettuce", "io.netty", "org.springframework.data.redis", "reactor");
		chatty.forEach((name) -> BackendLogging.setLevel(name, LogLevel.TRACE));
		try {
			this.contextRunner.run((context) -> {
				for (int i = 0; i < 20; i++) {
					log.info("application record {}", i);
				}
				await().until(() -> this.streams.payloads(globalStream()).size() >= 20);
				assertThat(context.getBean(RedisLogWorker.class).publishedCount()).isEqualTo(20);
			});
		}
		finally {
			chatty.forEach((name) -> BackendLogging.setLevel(name, null));
		}
		assertThat(this.streams.payloads(globalStream())).hasSize(20)
			.allSatisfy((payload) -> assertThat(payload).containsEntry("logger", "com.example.orders.OrderService")
				.doesNotContainEntry("thread", "redis-log-worker"));
	}

	@Test
	void gracefulShutdownDeliversEveryQueuedRecord() {
		int records = 5000;
		this.contextRunner.withPropertyValues("redis-log.stream.max-length=100000").run((context) -> {
			for (int i = 0; i < records; i++) {
				log.info("record {}", i);
			}
			assertThat(context.getBean(DroppedRecords.class).total()).isZero();
		});
		assertThat(redis.template().opsForStream().size(globalStream())).isEqualTo(records);
	}

	private String globalStream() {
		return "stream:" + this.prefix + ":global";
	}

	private String stream(String contextId) {
		return "stream:" + this.prefix + ":" + contextId;
	}


}
