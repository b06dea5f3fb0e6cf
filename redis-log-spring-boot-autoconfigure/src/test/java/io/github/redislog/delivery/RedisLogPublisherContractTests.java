package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.IntStream;

import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.SmartLifecycle;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link RedisLogPublisher} of the starter does, against a
 * {@code redis-server} of the test class's own, whose connection count only the publisher
 * moves.
 *
 * @param <P> the type of publisher
 */
abstract class RedisLogPublisherContractTests<P extends RedisLogPublisher & SmartLifecycle> {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	protected final LogChannels channels = new LogChannels(this.prefix, "global", Duration.ofHours(1),
			Duration.ofHours(24));

	protected P publisher;

	@BeforeEach
	void startPublisher() {
		this.publisher = createPublisher(redis.host(), redis.port());
		this.publisher.start();
	}

	@AfterEach
	void stopPublisher() {
		this.publisher.stop();
		destroy();
	}

	/**
	 * Create the publisher under test, writing to {@link #channels} with streams capped at
	 * 1000 entries.
	 * @param host the host of the test's Redis
	 * @param port the port of the test's Redis
	 * @return the publisher, not started
	 */
	protected abstract P createPublisher(String host, int port);

	/**
	 * Return how many connections the publisher opens for the next batch when Redis
	 * rejected a command of the last one.
	 * @return 1 if it replaces its connection, 0 if it keeps it
	 */
	protected abstract long connectionsOpenedAfterARejectedBatch();

	/**
	 * Release what {@link #createPublisher} made besides the publisher.
	 */
	protected void destroy() {
	}

	@Test
	void writesEveryBatchOverTheSameConnection() {
		long connectionsBefore = connectionsReceived();
		for (int i = 0; i < 5; i++) {
			this.publisher.publish(List.of(payload("User.alice", "alice " + i), payload(null, "anonymous " + i)));
		}
		assertThat(connectionsReceived() - connectionsBefore).isEqualTo(1);
		RedisStreams streams = new RedisStreams(redis.template());
		assertThat(streams.messages("stream:" + this.prefix + ":User.alice")).containsExactly("alice 0", "alice 1",
				"alice 2", "alice 3", "alice 4");
		assertThat(streams.messages("stream:" + this.prefix + ":global")).hasSize(10)
			.startsWith("alice 0", "anonymous 0")
			.endsWith("alice 4", "anonymous 4");
	}

	@Test
	void deliversTheBatchAfterARejectedOne() {
		this.publisher.publish(List.of(payload(null, "before")));
		redis.template().opsForValue().set("stream:" + this.prefix + ":global", "not a stream");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> this.publisher.publish(List.of(payload(null, "rejected"))));
		redis.template().delete("stream:" + this.prefix + ":global");
		long connectionsBefore = connectionsReceived();
		this.publisher.publish(List.of(payload(null, "after")));
		assertThat(connectionsReceived() - connectionsBefore).isEqualTo(connectionsOpenedAfterARejectedBatch());
		assertThat(new RedisStreams(redis.template()).messages("stream:" + this.prefix + ":global"))
			.containsExactly("after");
	}

	@Test
	void writesOwnersFirstThenEntriesThenExpiries() {
		this.publisher.publish(List.of(new LogPayload("task_1", "User.alice", json("started")),
				payload("task_1", "working"), payload(null, "elsewhere")));
		StringRedisTemplate template = redis.template();
		assertThat(template.opsForValue().get("owner:" + this.prefix + ":task_1")).isEqualTo("User.alice");
		assertThat(template.getExpire("owner:" + this.prefix + ":task_1")).isBetween(3590L, 3600L);
		assertThat(template.getExpire("stream:" + this.prefix + ":task_1")).isBetween(3590L, 3600L);
		assertThat(template.getExpire("stream:" + this.prefix + ":global")).isBetween(86390L, 86400L);
		assertThat(new RedisStreams(template).messages("stream:" + this.prefix + ":task_1")).containsExactly("started",
				"working");
		assertThat(new RedisStreams(template).messages("stream:" + this.prefix + ":global")).containsExactly("started",
				"working", "elsewhere");
	}

	@Test
	void capsStreamsAtAboutTheirMaximumLength() {
		for (int i = 0; i < 30; i++) {
			this.publisher.publish(IntStream.range(0, 100).mapToObj((n) -> payload(null, "m" + n)).toList());
		}
		assertThat(redis.template().opsForStream().size("stream:" + this.prefix + ":global")).isBetween(1000L, 1200L);
	}

	@Test
	void failsWithRedisErrorInTheMessage() {
		redis.template().opsForValue().set("stream:" + this.prefix + ":global", "not a stream");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> this.publisher.publish(List.of(payload(null, "rejected"))))
			.satisfies((ex) -> assertThat(NestedExceptionUtils.getMostSpecificCause(ex).getMessage())
				.contains("WRONGTYPE"));
	}

	@Test
	void stopClosesTheConnection() {
		this.publisher.publish(List.of(payload(null, "m")));
		assertThat(publisherConnections()).isEqualTo(1);
		this.publisher.stop();
		assertThat(this.publisher.isRunning()).isFalse();
		await().until(() -> publisherConnections() == 0);
	}

	private LogPayload payload(@Nullable String contextId, String message) {
		return new LogPayload(contextId, null, json(message));
	}

	private static byte[] json(String message) {
		return ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
	}

	private long connectionsReceived() {
		String stats = redis.template()
			.execute((RedisCallback<String>) (connection) -> Objects
				.requireNonNull(connection.serverCommands().info("stats"))
				.getProperty("total_connections_received"));
		return Long.parseLong(Objects.requireNonNull(stats));
	}

	// Clients other than the test's own template: the one the publisher holds.
	protected final long publisherConnections() {
		Integer clients = redis.template()
			.execute((RedisCallback<Integer>) (connection) -> Objects
				.requireNonNull(connection.serverCommands().getClientList())
				.size());
		return Objects.requireNonNull(clients) - 1;
	}

}
