package io.github.redislog.writer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Writes a batch's commands (see {@link LogBatch}) over a connection of its own
 * that speaks the Redis protocol directly: the whole batch is encoded into one buffer,
 * sent in one write, and the replies are only read for errors. A client library spends
 * most of the delivery's CPU on objects, futures and I/O-thread hand-offs per command
 * (four commands per record); this publisher spends almost none, and so keeps up with
 * what one Redis takes. See {@code BENCHMARKS.md} for the figures.
 * <p>
 * It suits a standalone Redis reached over TCP without TLS; for Sentinel, Cluster, TLS or
 * custom credentials providers, {@link PipelinedRedisLogPublisher} goes through Spring
 * Data Redis. Each exchange is bounded by the endpoint's timeout; a connection that
 * failed is replaced, one that only carried an error reply is kept.
 *
 * @author Redis Log contributors
 */
public final class DirectRedisLogPublisher extends ConnectionHoldingPublisher<RespConnection> {

	private final RespEndpoint endpoint;

	private final RespLogCommands commands;

	/**
	 * Create a publisher.
	 * @param endpoint the Redis to connect to
	 * @param streamMaxLength the approximate number of entries each stream keeps
	 */
	public DirectRedisLogPublisher(RespEndpoint endpoint, long streamMaxLength) {
		this.endpoint = endpoint;
		this.commands = new RespLogCommands(streamMaxLength);
	}

	@Override
	public void publish(LogBatch batch) {
		RespCommandBuffer buffer = this.commands.buffer;
		buffer.clear();
		batch.write(this.commands);
		RespConnection connection = connection();
		try {
			connection.execute(buffer, new BatchReplies(batch));
		}
		catch (IOException | RuntimeException ex) {
			// Replies may still be on their way: only a new connection is in step.
			discard(connection);
			throw new RedisConnectionFailureException("Could not write a batch to Redis at " + this.endpoint, ex);
		}
	}

	@Override
	protected RespConnection open() {
		try {
			return RespConnection.open(this.endpoint);
		}
		catch (IOException ex) {
			throw new RedisConnectionFailureException("Could not connect to Redis at " + this.endpoint, ex);
		}
	}

	@Override
	protected void close(RespConnection connection) throws IOException {
		connection.close();
	}

	/**
	 * Tells a batch the replies to its commands.
	 */
	private record BatchReplies(LogBatch batch) implements RespConnection.ReplyHandler {

		@Override
		public void replied(int command, @Nullable String error) {
			this.batch.replied(command, error);
		}

		@Override
		public void integerReplied(int command, long value) {
			this.batch.receivedBy(command, value);
		}

	}

	/**
	 * Encodes a batch's commands into the buffer the publisher sends.
	 */
	private static final class RespLogCommands implements RedisLogCommands {

		private static final byte[] SET = bytes("SET");

		private static final byte[] NX = bytes("NX");

		private static final byte[] EX = bytes("EX");

		private static final byte[] XADD = bytes("XADD");

		private static final byte[] MAXLEN = bytes("MAXLEN");

		private static final byte[] APPROXIMATELY = bytes("~");

		private static final byte[] NEW_ID = bytes("*");

		private static final byte[] DATA_FIELD = bytes(LogChannel.PAYLOAD_FIELD);

		private static final byte[] PUBLISH = bytes("PUBLISH");

		private static final byte[] SPUBLISH = bytes("SPUBLISH");

		private static final byte[] EXPIRE = bytes("EXPIRE");

		private final RespCommandBuffer buffer = new RespCommandBuffer(64 * 1024);

		private final byte[] streamMaxLength;

		RespLogCommands(long streamMaxLength) {
			this.streamMaxLength = bytes(Long.toString(streamMaxLength));
		}

		@Override
		public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
			this.buffer.command(6)
				.argument(SET)
				.argument(key)
				.argument(value)
				.argument(NX)
				.argument(EX)
				.argument(ttlSeconds);
		}

		@Override
		public void xAdd(byte[] streamKey, byte[] json) {
			this.buffer.command(8)
				.argument(XADD)
				.argument(streamKey)
				.argument(MAXLEN)
				.argument(APPROXIMATELY)
				.argument(this.streamMaxLength)
				.argument(NEW_ID)
				.argument(DATA_FIELD)
				.argument(json);
		}

		@Override
		public void publish(byte[] channel, byte[] json) {
			this.buffer.command(3).argument(PUBLISH).argument(channel).argument(json);
		}

		@Override
		public void sPublish(byte[] channel, byte[] json) {
			this.buffer.command(3).argument(SPUBLISH).argument(channel).argument(json);
		}

		@Override
		public void expire(byte[] key, long ttlSeconds) {
			this.buffer.command(3).argument(EXPIRE).argument(key).argument(ttlSeconds);
		}

		private static byte[] bytes(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

	}

}
