package io.github.redislog.delivery;

import java.util.List;

/**
 * Writes one batch of records to Redis. Kept small so that a deployment can bring its own,
 * for example a Redis Cluster writer that groups commands per node.
 *
 * @author Redis Log contributors
 * @see PipelinedRedisLogPublisher
 */
@FunctionalInterface
public interface RedisLogPublisher {

	/**
	 * Write a batch. Called on the worker thread only.
	 * @param batch the records, in logging order
	 * @throws RuntimeException if Redis did not accept the batch; the worker retries it
	 */
	void publish(List<LogPayload> batch);

}
