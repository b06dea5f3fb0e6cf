package io.github.redislog.writer;

import java.io.IOException;

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
 * failed is replaced, one that only carried an error reply is kept. While Redis works on
 * a batch, the worker prepares the next one ({@link #publish(LogBatch, Runnable)}).
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
		publish(batch, () -> {
		});
	}

	@Override
	public void publish(LogBatch batch, Runnable whileRedisWorks) {
		RespCommandBuffer buffer = this.commands.buffer();
		buffer.clear();
		batch.write(this.commands);
		RespConnection connection = connection();
		try {
			connection.send(buffer);
			whileRedisWorks.run();
			connection.receive(buffer.commands(), new BatchReplies(batch));
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

}
