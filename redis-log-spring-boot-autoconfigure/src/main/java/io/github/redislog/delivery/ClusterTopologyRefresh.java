package io.github.redislog.delivery;

import java.time.Duration;

import io.lettuce.core.cluster.RedisClusterClient;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Has a Lettuce cluster client learn the cluster's topology anew after a write failed, at
 * most once per {@value #MIN_INTERVAL_MILLIS} ms. Spring Boot enables no topology refresh
 * by default, so without this a client keeps sending the slots of a failed master to it
 * long after a replica took over.
 *
 * @author Redis Log contributors
 */
final class ClusterTopologyRefresh {

	static final long MIN_INTERVAL_MILLIS = 1000;

	private final RedisClusterClient client;

	private long lastRefresh = System.nanoTime() - Duration.ofMillis(MIN_INTERVAL_MILLIS).toNanos();

	private ClusterTopologyRefresh(RedisClusterClient client) {
		this.client = client;
	}

	/**
	 * Return the refresh of a factory's cluster client.
	 * @param connectionFactory the factory
	 * @return the refresh, or {@code null} unless the factory is Lettuce's for a cluster
	 */
	static @Nullable ClusterTopologyRefresh of(RedisConnectionFactory connectionFactory) {
		if (connectionFactory instanceof LettuceConnectionFactory lettuce
				&& lettuce.getNativeClient() instanceof RedisClusterClient client) {
			return new ClusterTopologyRefresh(client);
		}
		return null;
	}

	/**
	 * Start a refresh in the background, unless one started less than the minimum interval
	 * ago.
	 */
	void afterFailure() {
		long now = System.nanoTime();
		if (now - this.lastRefresh >= Duration.ofMillis(MIN_INTERVAL_MILLIS).toNanos()) {
			this.lastRefresh = now;
			this.client.refreshPartitionsAsync();
		}
	}

}
