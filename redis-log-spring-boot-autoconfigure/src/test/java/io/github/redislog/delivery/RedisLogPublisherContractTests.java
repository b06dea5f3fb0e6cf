package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PipelinedRedisLogPublisher} against a {@code redis-server} of their own,
 * whose connection count only the publisher moves.
 */
class PipelinedRedisLogPublisherTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final LogChannels channels = new LogChannels(this.prefix, "global", Duration.ofHours(1),
			Duration.ofHours(24));

	private LettuceConnectionFactory connectionFactory;

	private PipelinedRedisLogPublisher publisher;

	@BeforeEach
	void startPublisher() {
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()));
		// No shared connection: the only one the factory opens is the publisher's.
		this.connectionFactory.setShareNativeConnection(false);
		this.connectionFactory.afterPropertiesSet();
		this.publisher = new PipelinedRedisLogPublisher(this.connectionFactory, this.channels, 1000);
		this.publisher.start();
	}

	@AfterEach
	void stopPublisher() {
		this.publisher.stop();
		this.connectionFactory.destroy();
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
	void opensANewConnectionAfterAFailedBatch() {
		this.publisher.publish(List.of(payload(null, "before")));
		redis.template().opsForValue().set("stream:" + this.prefix + ":global", "not a stream");
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> this.publisher.publish(List.of(payload(null, "rejected"))));
		redis.template().delete("stream:" + this.prefix + ":global");
		long connectionsBefore = connectionsReceived();
		this.publisher.publish(List.of(payload(null, "after")));
		assertThat(connectionsReceived() - connectionsBefore).isEqualTo(1);
		assertThat(new RedisStreams(redis.template()).messages("stream:" + this.prefix + ":global"))
			.containsExactly("after");
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
		String json = "{\"message\":\"" + message + "\"}";
		return new LogPayload(contextId, null, json.getBytes(StandardCharsets.UTF_8));
	}

	private long connectionsReceived() {
		String stats = redis.template()
			.execute((RedisCallback<String>) (connection) -> Objects
				.requireNonNull(connection.serverCommands().info("stats"))
				.getProperty("total_connections_received"));
		return Long.parseLong(Objects.requireNonNull(stats));
	}

	// Clients other than the test's own template: the one the publisher holds.
	private long publisherConnections() {
		Integer clients = redis.template()
			.execute((RedisCallback<Integer>) (connection) -> Objects
				.requireNonNull(connection.serverCommands().getClientList())
				.size());
		return Objects.requireNonNull(clients) - 1;
	}

}
