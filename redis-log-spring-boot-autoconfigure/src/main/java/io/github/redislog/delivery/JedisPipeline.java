package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.params.XAddParams;

import org.springframework.data.redis.connection.RedisConnection;

/**
 * A pipeline on the Jedis connection under a Spring Data Redis one, through Jedis' own
 * API: Spring Data Redis does not pipeline {@code PUBLISH} on Jedis, and Jedis' pipeline
 * answers each command on its own, an error reply as a {@link JedisDataException} in its
 * place.
 *
 * @author Redis Log contributors
 */
final class JedisPipeline implements BatchPipeline {

	private static final byte[] DATA_FIELD = "data".getBytes(StandardCharsets.UTF_8);

	private final Jedis jedis;

	private final XAddParams xAddParams;

	private JedisPipeline(Jedis jedis, long streamMaxLength) {
		this.jedis = jedis;
		this.xAddParams = XAddParams.xAddParams().maxLen(streamMaxLength).approximateTrimming();
	}

	/**
	 * Return a pipeline on the Jedis connection under a connection of Spring Data Redis.
	 * @param connection the connection
	 * @param streamMaxLength the approximate number of entries each stream keeps
	 * @return the pipeline, or {@code null} if the connection is not Jedis'
	 */
	static @Nullable JedisPipeline of(RedisConnection connection, long streamMaxLength) {
		return (connection.getNativeConnection() instanceof Jedis jedis) ? new JedisPipeline(jedis, streamMaxLength)
				: null;
	}

	@Override
	public boolean publish(LogBatch batch) {
		Pipeline pipeline = this.jedis.pipelined();
		batch.write(new PipelineCommands(pipeline));
		List<Object> results = pipeline.syncAndReturnAll();
		boolean answered = true;
		for (int i = 0; i < results.size(); i++) {
			if (!(results.get(i) instanceof Exception ex)) {
				batch.replied(i, null);
			}
			else if (ex instanceof JedisDataException && RedisRefusals.code(ex.getMessage()) != null) {
				batch.replied(i, ex.getMessage());
			}
			else {
				answered = false;
			}
		}
		return answered;
	}

	@Override
	public boolean isOpen() {
		return this.jedis.isConnected();
	}

	@Override
	public void release() {
	}

	/**
	 * Sends a batch's commands into a Jedis pipeline.
	 */
	private final class PipelineCommands implements RedisLogCommands {

		private final Pipeline pipeline;

		PipelineCommands(Pipeline pipeline) {
			this.pipeline = pipeline;
		}

		@Override
		public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
			this.pipeline.set(key, value, SetParams.setParams().nx().ex(ttlSeconds));
		}

		@Override
		public void xAdd(byte[] streamKey, byte[] json) {
			this.pipeline.xadd(streamKey, JedisPipeline.this.xAddParams, Map.of(DATA_FIELD, json));
		}

		@Override
		public void publish(byte[] channel, byte[] json) {
			this.pipeline.publish(channel, json);
		}

		@Override
		public void sPublish(byte[] channel, byte[] json) {
			this.pipeline.sendCommand(Protocol.Command.SPUBLISH, channel, json);
		}

		@Override
		public void expire(byte[] key, long ttlSeconds) {
			this.pipeline.expire(key, ttlSeconds);
		}

	}

}
