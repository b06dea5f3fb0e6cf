package io.github.redislog.autoconfigure;

import java.time.Duration;

import io.github.redislog.writer.DirectRedisLogPublisher;
import io.github.redislog.writer.RespEndpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Reads where a {@link DirectRedisLogPublisher} connects from the application's connection
 * factory, so that it reaches the same Redis with the same credentials and timeouts.
 *
 * @author Redis Log contributors
 */
final class DirectConnectionEndpoint {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent("io.lettuce.core.RedisClient",
			DirectConnectionEndpoint.class.getClassLoader());

	private DirectConnectionEndpoint() {
	}

	/**
	 * Return the endpoint of a factory that connects to one standalone Redis over plain
	 * TCP with a password at most.
	 * @param connectionFactory the application's connection factory
	 * @param connectionDetails Spring Boot's connection details, if any
	 * @return the endpoint, or {@code null} if the factory is not Lettuce's or uses
	 * Sentinel, Cluster, a Unix socket, replicas, TLS, a credentials provider or no command
	 * timeout
	 */
	static @Nullable RespEndpoint of(RedisConnectionFactory connectionFactory,
			@Nullable DataRedisConnectionDetails connectionDetails) {
		// The factory does not tell a static master/replica setup from a standalone one.
		if (!LETTUCE_PRESENT || (connectionDetails != null && connectionDetails.getMasterReplica() != null)) {
			return null;
		}
		return Lettuce.endpoint(connectionFactory);
	}

	/**
	 * Kept apart so that the class loads without Lettuce on the class path (Jedis).
	 */
	private static final class Lettuce {

		// Lettuce's default, for a factory whose client options do not say.
		private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

		static @Nullable RespEndpoint endpoint(RedisConnectionFactory connectionFactory) {
			if (!(connectionFactory instanceof LettuceConnectionFactory factory)) {
				return null;
			}
			LettuceClientConfiguration client = factory.getClientConfiguration();
			if (factory.isRedisSentinelAware() || factory.isClusterAware() || factory.getSocketConfiguration() != null
					|| client.isUseSsl() || client.getReadFrom().isPresent()
					|| client.getRedisCredentialsProviderFactory().isPresent()) {
				return null;
			}
			// No timeout means waiting forever, which a direct exchange never does.
			Duration timeout = client.getCommandTimeout();
			if (timeout.isZero() || timeout.isNegative()) {
				return null;
			}
			RedisStandaloneConfiguration standalone = factory.getStandaloneConfiguration();
			Duration connectTimeout = client.getClientOptions()
				.map((options) -> options.getSocketOptions().getConnectTimeout())
				.orElse(DEFAULT_CONNECT_TIMEOUT);
			// Spring Boot turns 'redis://:password@host' into an empty user name.
			String username = StringUtils.hasText(standalone.getUsername()) ? standalone.getUsername() : null;
			return new RespEndpoint(standalone.getHostName(), standalone.getPort(), username,
					standalone.getPassword().toOptional().orElse(null), standalone.getDatabase(), connectTimeout,
					timeout);
		}

	}

}
