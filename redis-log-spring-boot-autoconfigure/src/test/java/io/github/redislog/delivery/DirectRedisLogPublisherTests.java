package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.github.redislog.resp.RespEndpoint;
import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link DirectRedisLogPublisher}.
 */
class DirectRedisLogPublisherTests extends RedisLogPublisherContractTests<DirectRedisLogPublisher> {

	@Override
	protected DirectRedisLogPublisher createPublisher(String host, int port) {
		return new DirectRedisLogPublisher(endpoint(port), this.channels, 1000);
	}

	// Every reply was read: the connection is still in step.
	@Override
	protected long connectionsOpenedAfterARejectedBatch() {
		return 0;
	}

	@Test
	void failsFastWhileRedisIsDownAndReconnectsWhenItIsBack() {
		LogPayload payload = new LogPayload(null, null, "{}".getBytes(StandardCharsets.UTF_8));
		this.publisher.publish(List.of(payload));
		redis.server().stop();
		try {
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(List.of(payload)))
				.withMessageContaining("redis://127.0.0.1:" + redis.port());
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(List.of(payload)))
				.withMessageContaining("Could not connect");
		}
		finally {
			redis.server().start();
		}
		this.publisher.publish(List.of(payload));
		assertThat(redis.template().opsForStream().size(this.channels.global().streamKey())).isEqualTo(1);
	}

	private static RespEndpoint endpoint(int port) {
		return new RespEndpoint("127.0.0.1", port, null, null, 0, Duration.ofSeconds(5), Duration.ofSeconds(5));
	}

}
