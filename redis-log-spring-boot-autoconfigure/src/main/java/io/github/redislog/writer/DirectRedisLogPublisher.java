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
 * a batch, the worker prepares the next one ({@link #publish(LogBatch, Runnable)}) and,
 * when it is whole, writes it at once ({@link #writeAhead}): its replies are read when it
 * is published, after the replies to the batch before.
 *
 * @author Redis Log contributors
 */
public final class DirectRedisLogPublisher extends ConnectionHoldingPublisher<RespConnection> {

	private final RespEndpoint endpoint;

	private final RespLogCommands commands;

	// The next batch, when its commands went out before the replies to the one in hand.
	private @Nullable WrittenAhead ahead;

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
	public void publish(LogBatch batch, Runnable whileRedisWorks) {
		WrittenAhead ahead = writtenAhead(batch);
		if (ahead != null && ahead.read) {
			ahead.settle();
			return;
		}
		RespConnection connection = connection();
		try {
			// Written ahead, only its replies are left to read, unless the connection it went
			// out on failed since: then it goes again.
			if (ahead != null && ahead.connection == connection) {
				whileRedisWorks.run();
				connection.receive(ahead.commands, new BatchReplies(batch));
				return;
			}
			readRepliesWrittenAhead(connection);
			int commands = write(batch, connection);
			whileRedisWorks.run();
			connection.receive(commands, new BatchReplies(batch));
		}
		catch (IOException | RuntimeException ex) {
			throw failed(connection, ex);
		}
	}

	@Override
	public boolean writeAhead(LogBatch next) {
		if (this.ahead != null && this.ahead.isCurrent()) {
			return false;
		}
		RespConnection connection = null;
		try {
			connection = connection();
			readRepliesWrittenAhead(connection);
			this.ahead = new WrittenAhead(next, connection, write(next, connection));
			return true;
		}
		catch (IOException | RuntimeException ex) {
			if (connection != null) {
				failed(connection, ex);
			}
			return false;
		}
	}

	// The batch written ahead, if it is this one: its publish takes it.
	private @Nullable WrittenAhead writtenAhead(LogBatch batch) {
		WrittenAhead ahead = this.ahead;
		if (ahead == null || ahead.batch != batch || !ahead.isCurrent()) {
			return null;
		}
		this.ahead = null;
		return ahead;
	}

	// Before another batch is written, such as another attempt at the one before the batch
	// written ahead, the replies on the connection are read in the order written: those of
	// the batch written ahead come first. A batch given up before its publish ignores them.
	private void readRepliesWrittenAhead(RespConnection connection) throws IOException {
		WrittenAhead ahead = this.ahead;
		if (ahead == null || ahead.read) {
			return;
		}
		if (!ahead.isCurrent()) {
			this.ahead = null;
		}
		if (ahead.connection != connection) {
			return;
		}
		ahead.read = true;
		try {
			connection.receive(ahead.commands,
					ahead.isCurrent() ? new BatchReplies(ahead.batch) : (command, error) -> {
					});
		}
		catch (IOException | RuntimeException ex) {
			ahead.failure = new RedisConnectionFailureException(
					"Could not read the replies of a batch from Redis at " + this.endpoint, ex);
			throw ex;
		}
	}

	private int write(LogBatch batch, RespConnection connection) throws IOException {
		RespCommandBuffer buffer = this.commands.buffer();
		buffer.clear();
		batch.write(this.commands);
		connection.send(buffer);
		return buffer.commands();
	}

	private RedisConnectionFailureException failed(RespConnection connection, Exception ex) {
		// Replies may still be on their way: only a new connection is in step.
		discard(connection);
		return new RedisConnectionFailureException("Could not write a batch to Redis at " + this.endpoint, ex);
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
	 * A batch whose commands were {@link #writeAhead written ahead}, until it is published.
	 */
	private static final class WrittenAhead {

		private final LogBatch batch;

		private final RespConnection connection;

		private final int commands;

		// Whether its replies were read before another batch was written: the batch then
		// settles what it got, and a failure reading them is its publish's.
		private boolean read;

		private @Nullable RedisConnectionFailureException failure;

		private final int generation;

		WrittenAhead(LogBatch batch, RespConnection connection, int commands) {
			this.batch = batch;
			this.connection = connection;
			this.commands = commands;
			this.generation = batch.generation();
		}

		// Whether the batch still holds the records written, not given up and filled anew.
		boolean isCurrent() {
			return this.batch.generation() == this.generation;
		}

		void settle() {
			if (this.failure != null) {
				throw this.failure;
			}
		}

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
