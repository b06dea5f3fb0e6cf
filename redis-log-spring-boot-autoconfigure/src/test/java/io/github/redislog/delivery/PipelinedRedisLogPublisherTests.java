package io.github.redislog.delivery;

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
		return new PipelinedRedisLogPublisher(this.connectionFactory, this.channels, 1000);
	}

	// A failed pipeline may leave commands in the connection's buffer.
	@Override
	protected long connectionsOpenedAfterARejectedBatch() {
		return 1;
	}

	@Override
	protected void destroy() {
		this.connectionFactory.destroy();
	}

}
