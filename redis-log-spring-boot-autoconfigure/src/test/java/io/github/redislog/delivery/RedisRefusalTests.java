package io.github.redislog.delivery;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.autoconfigure.RedisLogHealthAutoConfiguration;
import io.github.redislog.metrics.RedisLogMetrics;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import io.github.redislog.writer.RespCommandBuffer;
import io.github.redislog.writer.RespConnection;
import io.github.redislog.writer.RespEndpoint;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The refusal suite: Redis refuses some commands (a key of the wrong type, an ACL rule, out
 * of memory) while the application logs as two users. Redis' refusals stay small: the
 * other user's records keep flowing, nothing is written or published twice, and every
 * record is published or counted as dropped with its reason. Runs on the direct publisher.
 *
 * @see PipelinedPublisherRefusalTests
 */
class RedisRefusalTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.shop.CheckoutService");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogHealthAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m",
				"spring.data.redis.timeout=5s")
		.withPropertyValues(publisherProperties());

	/**
	 * Return the properties that choose the publisher under test.
	 * @return the properties
	 */
	protected String[] publisherProperties() {
		return new String[0];
	}

	@AfterEach
	void freeMemory() {
		setMaxMemory(0);
	}

	@Test
	void aKeyOfTheWrongTypeRejectsOnlyItsRecordsAndWritesNothingTwice() {
		redis.template().opsForValue().set(stream("User.bob"), "left by an old deployment");
		LiveSubscriber global = LiveSubscriber.on(channel("global"));
		try {
			this.contextRunner.run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				for (int i = 0; i < 50; i++) {
					logAs("User.alice", "alice " + i);
					logAs("User.bob", "bob " + i);
				}
				await("alice's records arrive while bob's are refused").atMost(Duration.ofSeconds(8))
					.until(() -> this.streams.messages(stream("User.alice")).size() == 50);
				await().until(() -> counters.inFlight() == 0);
				assertThat(counters.dropped().count(DropReason.REJECTED)).isEqualTo(50);
				assertThat(counters.publishedCount()).isEqualTo(50);
				assertExactInvariant(counters);
				Health health = context.getBean("redisLogHealthIndicator", HealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("dropped.rejected", 50L)
					.containsEntry("lastRejection", "XADD: WRONGTYPE");
				logAs("User.alice", "alice after");
				await().until(() -> this.streams.messages(stream("User.alice")).contains("alice after"));
			});
			List<String> inGlobal = this.streams.recordMessages(stream("global"));
			assertThat(inGlobal).hasSize(101).doesNotHaveDuplicates();
			// One note per batch that Redis refused bob's records in: the batches may split them.
			Pattern note = Pattern.compile("(\\d+) log records of User.bob dropped \\(rejected\\) .+");
			assertThat(this.streams.messages(stream("global")).stream()
				.map(note::matcher)
				.filter(Matcher::matches)
				.mapToInt((matched) -> Integer.parseInt(matched.group(1)))
				.sum()).isEqualTo(50);
			await().untilAsserted(() -> assertThat(global.records()).hasSize(101));
			assertThat(global.records()).doesNotHaveDuplicates();
		}
		finally {
			global.close();
			redis.template().delete(stream("User.bob"));
		}
	}

	@Test
	void aChannelTheAclForbidsRejectsOnlyItsRecords() throws IOException {
		String user = "writer-" + this.prefix;
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("ACL", bytes("SETUSER"), bytes(user),
					bytes("on"), bytes(">s3cret"), bytes("~*"), bytes("resetchannels"),
					bytes("&" + channel("global")), bytes("&" + channel("User.alice")), bytes("+@all")));
		try {
			this.contextRunner
				.withPropertyValues("spring.data.redis.username=" + user, "spring.data.redis.password=s3cret")
				.run((context) -> {
					DeliveryCounters counters = context.getBean(DeliveryCounters.class);
					for (int i = 0; i < 20; i++) {
						logAs("User.alice", "alice " + i);
						logAs("User.bob", "bob " + i);
					}
					await().atMost(Duration.ofSeconds(8)).until(() -> counters.inFlight() == 0);
					assertThat(counters.publishedCount()).isEqualTo(20);
					assertThat(counters.dropped().count(DropReason.REJECTED)).isEqualTo(20);
					assertExactInvariant(counters);
					assertThat(context.getBean(RedisWriteStatus.class).lastRejection())
						.startsWith("PUBLISH " + channel("User.bob") + ": NOPERM");
				});
			assertThat(this.streams.messages(stream("User.alice"))).hasSize(20).doesNotHaveDuplicates();
			// Bob's entries went in before his channel refused them, and were not sent again.
			assertThat(this.streams.messages(stream("User.bob"))).hasSize(20).doesNotHaveDuplicates();
			assertThat(this.streams.recordMessages(stream("global"))).hasSize(40).doesNotHaveDuplicates();
		}
		finally {
			deleteAclUser(user);
		}
	}

	@Test
	void anExpiryTheAclForbidsCostsNoRecordAndIsCountedOnItsOwn() throws IOException {
		String user = "no-expire-" + this.prefix;
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("ACL", bytes("SETUSER"), bytes(user),
					bytes("on"), bytes(">s3cret"), bytes("~*"), bytes("&*"), bytes("+@all"), bytes("-expire")));
		try {
			this.contextRunner
				.withPropertyValues("spring.data.redis.username=" + user, "spring.data.redis.password=s3cret")
				.run((context) -> {
					DeliveryCounters counters = context.getBean(DeliveryCounters.class);
					for (int i = 0; i < 20; i++) {
						logAs("User.alice", "alice " + i);
						logAs(null, "anonymous " + i);
					}
					await().atMost(Duration.ofSeconds(8)).until(() -> counters.inFlight() == 0);
					assertThat(counters.publishedCount()).isEqualTo(40);
					assertThat(counters.dropped().total()).isZero();
					assertExactInvariant(counters);
					RedisWriteStatus writeStatus = context.getBean(RedisWriteStatus.class);
					assertThat(writeStatus.refusedExpiries()).isPositive();
					SimpleMeterRegistry registry = new SimpleMeterRegistry();
					new RedisLogMetrics(counters, context.getBean(LogRecordQueue.class), writeStatus).bindTo(registry);
					assertThat(registry.get("redis.log.keys.refused").tag("command", "expire").functionCounter().count())
						.isEqualTo(writeStatus.refusedExpiries());
					Health health = context.getBean("redisLogHealthIndicator", HealthIndicator.class).health();
					assertThat(health.getStatus()).isEqualTo(Status.UP);
					assertThat(health.getDetails()).containsEntry("lastRejection", "EXPIRE: NOPERM")
						.containsEntry("ownersNotSet", 0L)
						.hasEntrySatisfying("keysWithoutTtl", (count) -> assertThat((Long) count).isPositive());
				});
			assertThat(this.streams.messages(stream("User.alice"))).hasSize(20).doesNotHaveDuplicates();
			assertThat(this.streams.recordMessages(stream("global"))).hasSize(40).doesNotHaveDuplicates();
			assertThat(redis.template().getExpire(stream("User.alice"))).isEqualTo(-1);
		}
		finally {
			deleteAclUser(user);
			redis.template().delete(List.of(stream("User.alice"), stream("global")));
		}
	}

	@Test
	void outOfMemoryDelaysRecordsWithoutPublishingAnyTwice() {
		LiveSubscriber global = LiveSubscriber.on(channel("global"));
		try {
			this.contextRunner.withPropertyValues("redis-log.queue-capacity=1000").run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				RedisWriteStatus writeStatus = context.getBean(RedisWriteStatus.class);
				logAs(null, "before");
				await().until(() -> counters.publishedCount() == 1);
				setMaxMemory(1);
				for (int i = 0; i < 200; i++) {
					logAs((i % 2 == 0) ? "User.alice" : null, "record " + i);
				}
				await().until(() -> writeStatus.failingSince() != null);
				assertThat(writeStatus.lastError()).startsWith("OOM");
				// Retried while Redis refuses the entries, but their live messages went out once.
				await().until(() -> writeStatus.consecutiveFailures() >= 3);
				assertThat(global.records()).hasSizeGreaterThan(1).doesNotHaveDuplicates();
				setMaxMemory(0);
				await().until(() -> counters.inFlight() == 0);
				assertThat(counters.publishedCount()).isEqualTo(201);
				assertExactInvariant(counters);
			});
			assertThat(this.streams.recordMessages(stream("global"))).hasSize(201).doesNotHaveDuplicates();
			assertThat(this.streams.messages(stream("User.alice"))).hasSize(100).doesNotHaveDuplicates();
			assertThat(global.records()).hasSize(201).doesNotHaveDuplicates();
			assertThat(redis.template().getExpire(stream("User.alice"))).isPositive();
		}
		finally {
			global.close();
		}
	}

	private void logAs(String contextId, String message) {
		if (contextId == null) {
			log.info(message);
			return;
		}
		try (MDC.MDCCloseable context = MDC.putCloseable(RedisLogContext.MDC_KEY, contextId)) {
			log.info(message);
		}
	}

	private static void assertExactInvariant(DeliveryCounters counters) {
		assertThat(counters.offeredCount()).isEqualTo(counters.publishedCount() + counters.dropped().total());
	}

	private String stream(String context) {
		return "stream:" + channel(context);
	}

	private String channel(String context) {
		return this.prefix + ":" + context;
	}

	private static void setMaxMemory(long bytes) {
		redis.template().execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().setConfig("maxmemory-policy", "noeviction");
			connection.serverCommands().setConfig("maxmemory", String.valueOf(bytes));
			return null;
		});
	}

	private static void deleteAclUser(String user) throws IOException {
		RespEndpoint endpoint = new RespEndpoint(redis.host(), redis.port(), null, null, 0, Duration.ofSeconds(5),
				Duration.ofSeconds(5));
		try (RespConnection connection = RespConnection.open(endpoint)) {
			RespCommandBuffer command = new RespCommandBuffer(64);
			command.command(3).argument(bytes("ACL")).argument(bytes("DELUSER")).argument(bytes(user));
			assertThat(connection.execute(command)).isNull();
		}
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A live subscriber of a channel, keeping the messages of records (not the notes).
	 */
	static final class LiveSubscriber implements AutoCloseable {

		private final List<String> records = new CopyOnWriteArrayList<>();

		private final RedisConnection connection;

		private LiveSubscriber(String channel) {
			this.connection = redis.template().getRequiredConnectionFactory().getConnection();
			this.connection.subscribe((message, pattern) -> {
				String json = new String(message.getBody(), StandardCharsets.UTF_8);
				if (!json.contains("\"logger\":\"io.github.redislog\"")) {
					this.records.add(json);
				}
			}, bytes(channel));
		}

		static LiveSubscriber on(String channel) {
			return new LiveSubscriber(channel);
		}

		List<String> records() {
			return this.records;
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

}
