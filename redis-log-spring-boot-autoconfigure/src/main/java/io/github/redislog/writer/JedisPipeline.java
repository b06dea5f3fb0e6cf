package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Protocol;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
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

	private static final byte[] DATA_FIELD = LogChannel.PAYLOAD_FIELD.getBytes(StandardCharsets.UTF_8);

	private final RedisConnection connection;

	private final Supplier<AbstractPipeline> pipelines;

	private final XAddParams xAddParams;

	private JedisPipeline(RedisConnection connection, Supplier<AbstractPipeline> pipelines, long streamMaxLength) {
		this.connection = connection;
		this.pipelines = pipelines;
		this.xAddParams = XAddParams.xAddParams().maxLen(streamMaxLength).approximateTrimming();
	}

	/**
	 * Return a pipeline on the Jedis connection under a connection of Spring Data Redis.
	 * @param connection the connection
	 * @param streamMaxLength the approximate number of entries each stream keeps
	 * @return the pipeline, or {@code null} if the connection is not Jedis'
	 */
	static @Nullable JedisPipeline of(RedisConnection connection, long streamMaxLength) {
		// Spring Data Redis 4.0 wraps a Jedis, 4.1 (Spring Boot 4.1) a UnifiedJedis.
		Object nativeConnection = connection.getNativeConnection();
		if (nativeConnection instanceof Jedis jedis) {
			return new JedisPipeline(connection, jedis::pipelined, streamMaxLength);
		}
		if (nativeConnection instanceof UnifiedJedis jedis) {
			return new JedisPipeline(connection, jedis::pipelined, streamMaxLength);
		}
		return null;
	}

	@Override
	public boolean publish(LogBatch batch, Runnable whileRedisWorks) {
		// Jedis sends a pipeline and reads its replies in one call: nothing runs meanwhile.
		// Closed at once: a UnifiedJedis lends each pipeline a connection of its pool.
		try (AbstractPipeline pipeline = this.pipelines.get()) {
			PipelineCommands commands = new PipelineCommands(pipeline);
			batch.write(commands);
			pipeline.sync();
			return settle(batch, commands.responses);
		}
	}

	private static boolean settle(LogBatch batch, List<Response<?>> responses) {
		boolean answered = true;
		for (int i = 0; i < responses.size(); i++) {
			try {
				Object reply = responses.get(i).get();
				batch.replied(i, null);
				if (reply instanceof Long receivers) {
					batch.receivedBy(i, receivers);
				}
			}
			catch (JedisDataException ex) {
				if (RedisRefusals.code(ex.getMessage()) != null) {
					batch.replied(i, ex.getMessage());
				}
				else {
					answered = false;
				}
			}
			catch (RuntimeException ex) {
				answered = false;
			}
		}
		return answered;
	}

	@Override
	public boolean isOpen() {
		return !this.connection.isClosed();
	}

	@Override
	public void release() {
	}

	/**
	 * Sends a batch's commands into a Jedis pipeline.
	 */
	private final class PipelineCommands implements RedisLogCommands {

		private final AbstractPipeline pipeline;

		// In the order of the commands: the reply to each, once the pipeline is synced.
		private final List<Response<?>> responses = new ArrayList<>();

		PipelineCommands(AbstractPipeline pipeline) {
			this.pipeline = pipeline;
		}

		@Override
		public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
			this.responses.add(this.pipeline.set(key, value, SetParams.setParams().nx().ex(ttlSeconds)));
		}

		@Override
		public void xAdd(byte[] streamKey, byte[] json) {
			this.responses.add(this.pipeline.xadd(streamKey, JedisPipeline.this.xAddParams, Map.of(DATA_FIELD, json)));
		}

		@Override
		public void publish(byte[] channel, byte[] json) {
			this.responses.add(this.pipeline.publish(channel, json));
		}

		@Override
		public void sPublish(byte[] channel, byte[] json) {
			this.responses.add(this.pipeline.sendCommand(Protocol.Command.SPUBLISH, channel, json));
		}

		@Override
		public void expire(byte[] key, long ttlSeconds) {
			this.responses.add(this.pipeline.expire(key, ttlSeconds));
		}

	}

}
