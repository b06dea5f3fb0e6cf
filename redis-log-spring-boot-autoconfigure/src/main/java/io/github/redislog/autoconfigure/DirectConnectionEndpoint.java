package io.github.redislog.autoconfigure;

import java.time.Duration;

import io.github.redislog.writer.ClusterDirectRedisLogPublisher;
import io.github.redislog.writer.DirectRedisLogPublisher;
import io.github.redislog.writer.RespEndpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisNode;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Reads where a {@link DirectRedisLogPublisher} or a {@link ClusterDirectRedisLogPublisher}
 * connects from the application's connection factory, so that it reaches the same Redis
 * with the same credentials and timeouts.
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
	 * Return how a {@link ClusterDirectRedisLogPublisher} reaches and logs in to the masters
	 * of a Redis Cluster that a factory connects to over plain TCP with a password at most.
	 * @param connectionFactory the application's connection factory
	 * @return the endpoint of the first node the application named, with the credentials
	 * and timeouts of every node, or {@code null} if the factory is not Lettuce's for a
	 * cluster, or uses TLS, a credentials provider or no command timeout
	 */
	static @Nullable RespEndpoint ofCluster(RedisConnectionFactory connectionFactory) {
		return LETTUCE_PRESENT ? Lettuce.clusterEndpoint(connectionFactory) : null;
	}

	/**
	 * Kept apart so that the class loads without Lettuce on the class path (Jedis).
	 */
	private static final class Lettuce {

		// Lettuce's default, for a factory whose client options do not say.
		private static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

		static @Nullable RespEndpoint clusterEndpoint(RedisConnectionFactory connectionFactory) {
			if (!(connectionFactory instanceof LettuceConnectionFactory factory) || !factory.isClusterAware()) {
				return null;
			}
			LettuceClientConfiguration client = factory.getClientConfiguration();
			// Writes go to masters whatever 'read-from' says: it does not matter here.
			if (client.isUseSsl() || client.getRedisCredentialsProviderFactory().isPresent()) {
				return null;
			}
			Duration timeout = client.getCommandTimeout();
			RedisClusterConfiguration cluster = factory.getClusterConfiguration();
			if (timeout.isZero() || timeout.isNegative() || cluster == null || cluster.getClusterNodes().isEmpty()) {
				return null;
			}
			RedisNode seed = cluster.getClusterNodes().iterator().next();
			if (seed.getHost() == null || seed.getPort() == null) {
				return null;
			}
			String username = StringUtils.hasText(cluster.getUsername()) ? cluster.getUsername() : null;
			return new RespEndpoint(seed.getHost(), seed.getPort(), username,
					cluster.getPassword().toOptional().orElse(null), 0, connectTimeout(client), timeout);
		}

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
			Duration connectTimeout = connectTimeout(client);
			// Spring Boot turns 'redis://:password@host' into an empty user name.
			String username = StringUtils.hasText(standalone.getUsername()) ? standalone.getUsername() : null;
			return new RespEndpoint(standalone.getHostName(), standalone.getPort(), username,
					standalone.getPassword().toOptional().orElse(null), standalone.getDatabase(), connectTimeout,
					timeout);
		}

		private static Duration connectTimeout(LettuceClientConfiguration client) {
			return client.getClientOptions()
				.map((options) -> options.getSocketOptions().getConnectTimeout())
				.orElse(DEFAULT_CONNECT_TIMEOUT);
		}

	}

}
