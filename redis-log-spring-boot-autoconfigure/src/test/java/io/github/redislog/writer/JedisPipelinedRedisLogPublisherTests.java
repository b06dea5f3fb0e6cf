package io.github.redislog.writer;

import redis.clients.jedis.Jedis;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.jedis.JedisClientConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;

/**
 * Tests for {@link PipelinedRedisLogPublisher} on Jedis, where the pipeline is Spring Data
 * Redis's.
 */
class JedisPipelinedRedisLogPublisherTests extends RedisLogPublisherContractTests<PipelinedRedisLogPublisher> {

	private JedisConnectionFactory connectionFactory;

	@Override
	protected PipelinedRedisLogPublisher createPublisher(String host, int port) {
		// No pool: the connection the publisher gives back is closed, not kept for others.
		this.connectionFactory = new JedisConnectionFactory(new RedisStandaloneConfiguration(host, port),
				JedisClientConfiguration.builder().build());
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		return new PipelinedRedisLogPublisher(this.connectionFactory, 1000);
	}

	// Spring Data Redis 4.0 gives each connection a Jedis of its own; 4.1 (Spring Boot 4.1)
	// lends one from the pool of the factory's UnifiedJedis, which closes it with the factory.
	@Override
	protected boolean stopClosesTheSocket() {
		try (RedisConnection connection = this.connectionFactory.getConnection()) {
			return connection.getNativeConnection() instanceof Jedis;
		}
	}

	@Override
	protected void destroy() {
		this.connectionFactory.destroy();
	}

}
