package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection.PipeliningFlushPolicy;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.types.Expiration;
import org.springframework.util.ClassUtils;

/**
 * Writes a batch's commands (see {@link LogBatchCommands}) in one pipeline of Spring Data
 * Redis: works with any {@link RedisConnectionFactory}, Sentinel, SSL and Jedis included.
 * {@link DirectRedisLogPublisher} is faster where it applies.
 * <p>
 * The pipeline runs on a connection of the publisher's own, kept from one batch to the
 * next: {@code RedisTemplate.executePipelined} opens a new one per batch when the factory
 * has no pool, a TCP connection and a handshake per batch, which held delivery to about a
 * third of what this publisher reaches. With Lettuce, that connection also flushes the
 * commands it buffered every {@value #FLUSH_EVERY_COMMANDS} commands and when the
 * pipeline closes, instead of after each command (Spring Data Redis's default): few
 * writes, yet the client's I/O thread and Redis start on a batch while the worker still
 * adds to it. And it schedules no timeout per command: closing the pipeline waits for the
 * whole batch with the connection's timeout anyway. These are settings of this one
 * connection: the application's own connections are untouched.
 * <p>
 * A connection that failed is closed, which cancels whatever it still buffers, and the
 * next batch opens a new one, so a retried batch never meets leftovers of the failed
 * attempt. So is a connection that lost Redis between two batches: reconnecting, it would
 * hold the next batch until the timeout, while a new connection fails at once when Redis
 * is still down. See {@code BENCHMARKS.md} for the figures.
 *
 * @author Redis Log contributors
 */
public final class PipelinedRedisLogPublisher
		extends ConnectionHoldingPublisher<PipelinedRedisLogPublisher.HeldConnection> {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent(
			"org.springframework.data.redis.connection.lettuce.LettuceConnection",
			PipelinedRedisLogPublisher.class.getClassLoader());

	/**
	 * Commands a pipeline buffers before it flushes them: measured against flushing each
	 * command and flushing once per batch, see {@code BENCHMARKS.md}.
	 */
	static final int FLUSH_EVERY_COMMANDS = 100;

	private static final byte[] DATA_FIELD = bytes("data");

	private final RedisConnectionFactory connectionFactory;

	private final LogBatchCommands batchCommands;

	private final XAddOptions xAddOptions;

	/**
	 * Create a publisher.
	 * @param connectionFactory the factory of the connection that the publisher holds
	 * @param channels the channels records are routed to
	 * @param streamMaxLength the approximate number of entries each stream keeps
	 */
	public PipelinedRedisLogPublisher(RedisConnectionFactory connectionFactory, LogChannels channels,
			long streamMaxLength) {
		this.connectionFactory = connectionFactory;
		this.batchCommands = new LogBatchCommands(channels);
		this.xAddOptions = XAddOptions.maxlen(streamMaxLength).approximateTrimming(true);
	}

	@Override
	public void publish(List<LogPayload> batch) {
		HeldConnection held = connection();
		RedisConnection connection = held.connection();
		boolean written = false;
		try {
			connection.openPipeline();
			this.batchCommands.write(batch, new PipelineCommands(connection, this.xAddOptions));
			connection.closePipeline();
			written = true;
		}
		finally {
			if (!written) {
				discard(held);
			}
		}
	}

	@Override
	protected HeldConnection open() {
		RedisConnection connection = this.connectionFactory.getConnection();
		try {
			return new HeldConnection(connection, LETTUCE_PRESENT ? LettuceTuning.apply(connection) : null);
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	// Redis went away: a reconnecting connection would hold the batch until the timeout,
	// while a new one fails at once if Redis is still down.
	@Override
	protected boolean isUsable(HeldConnection held) {
		return held.tuning() == null || held.tuning().isOpen();
	}

	@Override
	protected void close(HeldConnection held) {
		if (held.tuning() != null) {
			held.tuning().restore();
		}
		held.connection().close();
	}

	private static byte[] bytes(String name) {
		return name.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Sends a batch's commands into the open pipeline of a connection.
	 */
	private record PipelineCommands(RedisConnection connection, XAddOptions xAddOptions) implements RedisLogCommands {

		@Override
		public void set(byte[] key, byte[] value, long ttlSeconds) {
			this.connection.stringCommands()
				.set(key, value, Expiration.seconds(ttlSeconds), SetOption.upsert());
		}

		@Override
		public void xAdd(byte[] streamKey, byte[] json) {
			this.connection.streamCommands()
				.xAdd(StreamRecords.rawBytes(Map.of(DATA_FIELD, json)).withStreamKey(streamKey), this.xAddOptions);
		}

		@Override
		public void publish(byte[] channel, byte[] json) {
			this.connection.publish(channel, json);
		}

		@Override
		public void expire(byte[] key, long ttlSeconds) {
			this.connection.keyCommands().expire(key, ttlSeconds);
		}

	}

	/**
	 * The connection the publisher holds, with what it changed on Lettuce's under it.
	 *
	 * @param connection the connection
	 * @param tuning the changes, or {@code null} if the connection is not Lettuce's
	 */
	record HeldConnection(RedisConnection connection, @Nullable LettuceTuning tuning) {

	}

	/**
	 * What the publisher changes on a Lettuce connection. Kept apart so that the publisher
	 * works without Lettuce on the class path (Jedis).
	 */
	static final class LettuceTuning {

		private final StatefulConnection<?, ?> nativeConnection;

		private final Duration timeout;

		private LettuceTuning(StatefulConnection<?, ?> nativeConnection) {
			this.nativeConnection = nativeConnection;
			this.timeout = nativeConnection.getTimeout();
		}

		/**
		 * Make a connection flush a pipeline every
		 * {@value PipelinedRedisLogPublisher#FLUSH_EVERY_COMMANDS} commands and when it
		 * closes, and schedule no timeout per command.
		 * @param connection the connection
		 * @return the tuning, or {@code null} if the connection is not Lettuce's
		 */
		static @Nullable LettuceTuning apply(RedisConnection connection) {
			if (!(connection instanceof LettuceConnection lettuce)) {
				return null;
			}
			lettuce.setPipeliningFlushPolicy(PipeliningFlushPolicy.buffered(FLUSH_EVERY_COMMANDS));
			// The native connection that pipelines use exists once a pipeline is open.
			lettuce.openPipeline();
			try {
				if (!(lettuce.getNativeConnection() instanceof RedisAsyncCommands<?, ?> commands)) {
					return null;
				}
				LettuceTuning tuning = new LettuceTuning(commands.getStatefulConnection());
				tuning.nativeConnection.setTimeout(Duration.ZERO);
				return tuning;
			}
			finally {
				lettuce.closePipeline();
			}
		}

		boolean isOpen() {
			return this.nativeConnection.isOpen();
		}

		// Before the connection goes back to a pool, where others use it.
		void restore() {
			this.nativeConnection.setTimeout(this.timeout);
		}

	}

}
