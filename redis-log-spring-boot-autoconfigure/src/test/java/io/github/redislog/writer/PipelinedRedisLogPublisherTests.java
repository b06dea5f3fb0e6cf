package io.github.redislog.writer;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Tests for {@link PipelinedRedisLogPublisher}.
 */
class PipelinedRedisLogPublisherTests extends RedisLogPublisherContractTests<PipelinedRedisLogPublisher> {

	private LettuceConnectionFactory connectionFactory;

	@Override
	protected PipelinedRedisLogPublisher createPublisher(String host, int port) {
		this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
		// No shared connection: the only one the factory opens is the publisher's.
		this.connectionFactory.setShareNativeConnection(false);
		this.connectionFactory.afterPropertiesSet();
		return new PipelinedRedisLogPublisher(this.connectionFactory, 1000);
	}

	@Override
	protected void destroy() {
		this.connectionFactory.destroy();
	}

}
