package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DirectRedisLogPublisher}.
 */
class DirectRedisLogPublisherTests extends RedisLogPublisherContractTests<DirectRedisLogPublisher> {

	@Override
	protected DirectRedisLogPublisher createPublisher(String host, int port) {
		return new DirectRedisLogPublisher(endpoint(port), 1000);
	}

	@Test
	void failsFastWhileRedisIsDownAndReconnectsWhenItIsBack() {
		LogPayload payload = new LogPayload(null, null, bytes("{}"));
		publish(payload);
		redis.server().stop();
		try {
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(batch(payload)))
				.withMessageContaining("redis://127.0.0.1:" + redis.port());
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(batch(payload)))
				.withMessageContaining("Could not connect");
		}
		finally {
			redis.server().start();
		}
		publish(payload);
		assertThat(redis.template().opsForStream().size(this.channels.global().streamKey())).isEqualTo(1);
	}

	@Test
	void stopClosesAConnectionThatABatchIsStillOpening() {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("ACL", bytes("SETUSER"),
					bytes("log-writer"), bytes("on"), bytes(">s3cret"), bytes("~*"), bytes("+@all")));
		DirectRedisLogPublisher loggingIn = new DirectRedisLogPublisher(new RespEndpoint("127.0.0.1", redis.port(),
				"log-writer", "s3cret".toCharArray(), 0, Duration.ofSeconds(5), Duration.ofSeconds(5)), 1000);
		loggingIn.start();
		// Holds the login until the pause ends.
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("PAUSE"), bytes("1500"),
					bytes("ALL")));
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> {
			started.countDown();
			loggingIn.publish(batch(new LogPayload(null, null, bytes("{}"))));
		});
		await().until(() -> started.getCount() == 0);
		await().during(Duration.ofMillis(200)).until(() -> !batch.isDone());
		loggingIn.stop();
		await().until(batch::isDone);
		assertThat(batch).isCompletedExceptionally();
		await().until(() -> publisherConnections() == 0);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static RespEndpoint endpoint(int port) {
		return new RespEndpoint("127.0.0.1", port, null, null, 0, Duration.ofSeconds(5), Duration.ofSeconds(5));
	}

}
