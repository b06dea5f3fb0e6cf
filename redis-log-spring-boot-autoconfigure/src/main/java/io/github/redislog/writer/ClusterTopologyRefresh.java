package io.github.redislog.writer;

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

	private final LettuceConnectionFactory connectionFactory;

	private long lastRefresh = System.nanoTime() - Duration.ofMillis(MIN_INTERVAL_MILLIS).toNanos();

	private ClusterTopologyRefresh(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Return the refresh of a factory's cluster client.
	 * @param connectionFactory the factory
	 * @return the refresh, or {@code null} unless the factory is Lettuce's for a cluster
	 */
	static @Nullable ClusterTopologyRefresh of(RedisConnectionFactory connectionFactory) {
		return (connectionFactory instanceof LettuceConnectionFactory lettuce && lettuce.isClusterAware())
				? new ClusterTopologyRefresh(lettuce) : null;
	}

	/**
	 * Start a refresh in the background, unless one started less than the minimum interval
	 * ago. Never throws: the failure it follows is what counts.
	 */
	void afterFailure() {
		long now = System.nanoTime();
		if (now - this.lastRefresh < Duration.ofMillis(MIN_INTERVAL_MILLIS).toNanos()) {
			return;
		}
		this.lastRefresh = now;
		try {
			// Looked up each time: a factory that was stopped and started has a new client.
			if (this.connectionFactory.getNativeClient() instanceof RedisClusterClient client) {
				client.refreshPartitionsAsync();
			}
		}
		catch (RuntimeException ex) {
			// Not started, or shutting down: the next failure tries again.
		}
	}

}
