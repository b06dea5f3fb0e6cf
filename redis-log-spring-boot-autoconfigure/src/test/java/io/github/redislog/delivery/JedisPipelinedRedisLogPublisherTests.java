package io.github.redislog.delivery;

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

	@Override
	protected void destroy() {
		this.connectionFactory.destroy();
	}

}
