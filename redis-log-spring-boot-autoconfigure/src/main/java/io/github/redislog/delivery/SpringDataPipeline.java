package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisPipelineException;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.types.Expiration;

/**
 * A pipeline of Spring Data Redis, for connections other than Lettuce's (Jedis): the
 * replies are the pipeline's results, where a failed command's is an exception.
 *
 * @author Redis Log contributors
 */
final class SpringDataPipeline implements BatchPipeline {

	private static final byte[] DATA_FIELD = "data".getBytes(StandardCharsets.UTF_8);

	private final RedisConnection connection;

	private final XAddOptions xAddOptions;

	SpringDataPipeline(RedisConnection connection, long streamMaxLength) {
		this.connection = connection;
		this.xAddOptions = XAddOptions.maxlen(streamMaxLength).approximateTrimming(true);
	}

	@Override
	public boolean publish(LogBatch batch) {
		List<@Nullable Object> results;
		try {
			this.connection.openPipeline();
			batch.write(new PipelineCommands());
			results = this.connection.closePipeline();
		}
		catch (RedisPipelineException ex) {
			results = ex.getPipelineResult();
			if (results.isEmpty()) {
				throw new RedisConnectionFailureException("Redis did not answer the pipeline", ex);
			}
		}
		boolean answered = true;
		for (int i = 0; i < results.size(); i++) {
			if (!(results.get(i) instanceof Exception ex)) {
				batch.replied(i, null);
			}
			else if (RedisRefusals.code(ex.getMessage()) != null) {
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
		return !this.connection.isClosed();
	}

	@Override
	public void release() {
	}

	/**
	 * Sends a batch's commands into the open pipeline.
	 */
	private final class PipelineCommands implements RedisLogCommands {

		@Override
		public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
			SpringDataPipeline.this.connection.stringCommands()
				.set(key, value, Expiration.seconds(ttlSeconds), SetOption.ifAbsent());
		}

		@Override
		public void xAdd(byte[] streamKey, byte[] json) {
			SpringDataPipeline.this.connection.streamCommands()
				.xAdd(StreamRecords.rawBytes(Map.of(DATA_FIELD, json)).withStreamKey(streamKey),
						SpringDataPipeline.this.xAddOptions);
		}

		@Override
		public void publish(byte[] channel, byte[] json) {
			SpringDataPipeline.this.connection.publish(channel, json);
		}

		// Spring Data Redis has no SPUBLISH.
		@Override
		public void sPublish(byte[] channel, byte[] json) {
			SpringDataPipeline.this.connection.execute("SPUBLISH", channel, json);
		}

		@Override
		public void expire(byte[] key, long ttlSeconds) {
			SpringDataPipeline.this.connection.keyCommands().expire(key, ttlSeconds);
		}

	}

}
