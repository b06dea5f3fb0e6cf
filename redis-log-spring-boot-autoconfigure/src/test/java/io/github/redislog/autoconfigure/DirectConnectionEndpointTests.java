package io.github.redislog.autoconfigure;

import java.time.Duration;

import io.github.redislog.writer.RespEndpoint;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DirectConnectionEndpoint}, on the connection factory that Spring Boot
 * makes from {@code spring.data.redis.*}. No connection is opened.
 */
class DirectConnectionEndpointTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class));

	@Test
	void takesAddressCredentialsDatabaseAndTimeoutsFromTheConnectionFactory() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.host=redis.example.com", "spring.data.redis.port=6380",
					"spring.data.redis.username=log-writer", "spring.data.redis.password=s3cret",
					"spring.data.redis.database=2", "spring.data.redis.timeout=3s",
					"spring.data.redis.connect-timeout=4s")
			.run((context) -> {
				RespEndpoint endpoint = endpoint(context);
				assertThat(endpoint).isNotNull();
				assertThat(endpoint.host()).isEqualTo("redis.example.com");
				assertThat(endpoint.port()).isEqualTo(6380);
				assertThat(endpoint.username()).isEqualTo("log-writer");
				assertThat(endpoint.password()).isEqualTo("s3cret".toCharArray());
				assertThat(endpoint.database()).isEqualTo(2);
				assertThat(endpoint.timeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(endpoint.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
			});
	}

	@Test
	void takesTheAddressOfARedisUrl() {
		this.contextRunner.withPropertyValues("spring.data.redis.url=redis://:pw@redis.example.com:6390/5")
			.run((context) -> assertThat(endpoint(context)).satisfies((endpoint) -> {
					assertThat(endpoint.username()).isNull();
					assertThat(endpoint.host()).isEqualTo("redis.example.com");
					assertThat(endpoint.port()).isEqualTo(6390);
					assertThat(endpoint.password()).isEqualTo("pw".toCharArray());
					assertThat(endpoint.database()).isEqualTo(5);
				}));
	}

	@Test
	void hasNoEndpointForTlsSentinelClusterOrReplicas() {
		assertNoEndpoint("spring.data.redis.url=rediss://redis.example.com:6380");
		assertNoEndpoint("spring.data.redis.ssl.enabled=true");
		assertNoEndpoint("spring.data.redis.sentinel.master=primary",
				"spring.data.redis.sentinel.nodes=127.0.0.1:26379");
		assertNoEndpoint("spring.data.redis.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001");
		assertNoEndpoint("spring.data.redis.masterreplica.nodes=redis-a.example.com:6379,redis-b.example.com:6379");
		assertNoEndpoint("spring.data.redis.lettuce.read-from=replicaPreferred");
	}

	@Test
	void takesTheClusterLoginFromTheConnectionFactory() {
		this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=redis-a.example.com:7000,redis-b.example.com:7001",
					"spring.data.redis.username=log-writer", "spring.data.redis.password=s3cret",
					"spring.data.redis.timeout=3s", "spring.data.redis.connect-timeout=4s")
			.run((context) -> {
				RespEndpoint login = DirectConnectionEndpoint.ofCluster(context.getBean(RedisConnectionFactory.class));
				assertThat(login).isNotNull();
				assertThat(login.host()).isEqualTo("redis-a.example.com");
				assertThat(login.port()).isEqualTo(7000);
				assertThat(login.username()).isEqualTo("log-writer");
				assertThat(login.password()).isEqualTo("s3cret".toCharArray());
				assertThat(login.database()).isZero();
				assertThat(login.timeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(login.connectTimeout()).isEqualTo(Duration.ofSeconds(4));
			});
	}

	@Test
	void hasNoClusterLoginForTlsAStandaloneRedisOrNoCommandTimeout() {
		String nodes = "spring.data.redis.cluster.nodes=127.0.0.1:7000,127.0.0.1:7001";
		for (String[] properties : new String[][] { { nodes, "spring.data.redis.ssl.enabled=true" },
				{ nodes, "spring.data.redis.timeout=0" }, { "spring.data.redis.host=redis.example.com" } }) {
			this.contextRunner.withPropertyValues(properties)
				.run((context) -> assertThat(
						DirectConnectionEndpoint.ofCluster(context.getBean(RedisConnectionFactory.class)))
					.isNull());
		}
	}

	@Test
	void hasNoEndpointWithoutCommandTimeout() {
		// Lettuce waits forever then; a direct exchange always has a deadline.
		assertNoEndpoint("spring.data.redis.timeout=0");
	}

	private void assertNoEndpoint(String... properties) {
		this.contextRunner.withPropertyValues(properties).run((context) -> assertThat(endpoint(context)).isNull());
	}

	private static @Nullable RespEndpoint endpoint(AssertableApplicationContext context) {
		return DirectConnectionEndpoint.of(context.getBean(RedisConnectionFactory.class),
				context.getBean(DataRedisConnectionDetails.class));
	}

}
