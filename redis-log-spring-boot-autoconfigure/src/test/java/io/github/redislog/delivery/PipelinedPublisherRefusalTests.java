package io.github.redislog.delivery;

import io.github.redislog.writer.PipelinedRedisLogPublisher;
import io.github.redislog.writer.RedisLogPublisher;

/**
 * The refusal suite on {@link PipelinedRedisLogPublisher}, the publisher for what the direct
 * one does not reach (Sentinel, Cluster, TLS, Jedis).
 */
class PipelinedPublisherRefusalTests extends RedisRefusalTests {

	@Override
	protected String[] publisherProperties() {
		return new String[] { "redis-log.direct-connection=false" };
	}

}
