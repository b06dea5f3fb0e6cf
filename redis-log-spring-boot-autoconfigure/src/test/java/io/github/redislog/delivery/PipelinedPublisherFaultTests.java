package io.github.redislog.delivery;

import io.github.redislog.writer.PipelinedRedisLogPublisher;
import io.github.redislog.writer.RedisLogPublisher;

/**
 * The fault suite on {@link PipelinedRedisLogPublisher}, the publisher for what the direct
 * one does not reach (Sentinel, Cluster, TLS, Jedis).
 */
class PipelinedPublisherFaultTests extends RedisLogFaultTests {

	@Override
	protected String[] publisherProperties() {
		return new String[] { "redis-log.direct-connection=false" };
	}

	@Override
	protected Class<? extends RedisLogPublisher> publisherType() {
		return PipelinedRedisLogPublisher.class;
	}

}
