package io.github.redislog.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import io.github.redislog.wire.LogChannel;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;

/**
 * A pipeline on the Lettuce connection under a Spring Data Redis one, through Lettuce's
 * low-level API: Spring Data Redis's {@code closePipeline()} gives up every reply when one
 * command failed (Lettuce's {@code awaitAll} throws on the first error), while the batch
 * needs the reply to each. The batch's commands are plain {@link LogCommand commands}
 * handed to the connection {@value #DISPATCH_EVERY_COMMANDS} at a time
 * ({@code dispatch} of a collection: one flush each), so that Redis starts on a batch while
 * the worker still adds to it. No command carries a future: the pipeline waits once for the
 * whole batch ({@link PendingReplies}), with the connection's timeout, and schedules no
 * timeout per command. Keys are given as keys, so that a cluster connection routes each
 * command to the master of its key's slot. Lettuce still writes each command through the
 * channel on its own (a write task, a promise and a buffer each): see {@code BENCHMARKS.md}
 * for what this path delivers against the direct connection.
 *
 * @author Redis Log contributors
 */
final class LettucePipeline implements BatchPipeline {

	/**
	 * Commands handed to the connection at a time, each time flushed.
	 */
	static final int DISPATCH_EVERY_COMMANDS = 100;

	private final StatefulConnection<byte[], byte[]> connection;

	private final LogCommand.Layout setIfAbsent = LogCommand.Layout.setIfAbsent();

	private final LogCommand.Layout xAdd;

	private final LogCommand.Layout publish = LogCommand.Layout.publish(CommandType.PUBLISH);

	private final LogCommand.Layout sPublish = LogCommand.Layout.publish(CommandType.SPUBLISH);

	private final LogCommand.Layout expire = LogCommand.Layout.expire();

	private final Duration timeout;

	// On a cluster, a PUBLISH counts only the subscribers of the node it reached.
	private final boolean countsReceivers;

	// The next batch's commands, when they went out before the replies to the one in hand.
	private @Nullable DispatchedAhead ahead;

	private LettucePipeline(StatefulConnection<byte[], byte[]> connection, long streamMaxLength,
			boolean countsReceivers) {
		this.connection = connection;
		this.xAdd = LogCommand.Layout.xAdd(streamMaxLength, LogChannel.PAYLOAD_FIELD);
		this.countsReceivers = countsReceivers;
		this.timeout = connection.getTimeout();
		connection.setTimeout(Duration.ZERO);
	}

	/**
	 * Return a pipeline on the Lettuce connection under a connection of Spring Data Redis.
	 * @param connection the connection
	 * @param streamMaxLength the approximate number of entries each stream keeps
	 * @return the pipeline, or {@code null} if the connection is not Lettuce's
	 */
	static @Nullable LettucePipeline of(RedisConnection connection, long streamMaxLength) {
		if (!(connection instanceof LettuceConnection lettuce)) {
			return null;
		}
		// A connection of its own exists once a pipeline is open; it stays until closed.
		lettuce.openPipeline();
		try {
			RedisClusterAsyncCommands<byte[], byte[]> commands = lettuce.getNativeConnection();
			if (commands instanceof RedisAsyncCommands<byte[], byte[]> standalone) {
				return new LettucePipeline(standalone.getStatefulConnection(), streamMaxLength, true);
			}
			if (commands instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster) {
				return new LettucePipeline(cluster.getStatefulConnection(), streamMaxLength, false);
			}
			return null;
		}
		finally {
			lettuce.closePipeline();
		}
	}

	@Override
	public boolean publish(LogBatch batch, Runnable whileRedisWorks) {
		DispatchedCommands ahead = dispatchedAhead(batch);
		DispatchedCommands commands = (ahead != null) ? ahead : new DispatchedCommands();
		boolean answered = false;
		try {
			if (ahead == null) {
				batch.write(commands);
				commands.dispatchWritten();
			}
			whileRedisWorks.run();
			answered = tell(commands, batch);
			return answered;
		}
		finally {
			if (!answered) {
				commands.cancelUnanswered();
				// The connection is replaced: the next batch goes again on the new one.
				cancelAhead();
			}
		}
	}

	// Each command takes its own reply, whatever was sent before or after it: the batch
	// before may go again while this one's commands are on their way.
	@Override
	public boolean writeAhead(LogBatch next) {
		if (this.ahead != null && this.ahead.isCurrent()) {
			return false;
		}
		DispatchedCommands commands = new DispatchedCommands();
		this.ahead = new DispatchedAhead(next, next.generation(), commands);
		try {
			next.write(commands);
			commands.dispatchWritten();
			return true;
		}
		catch (RuntimeException ex) {
			cancelAhead();
			return false;
		}
	}

	// The commands dispatched ahead for this batch, if any: its publish takes them.
	private @Nullable DispatchedCommands dispatchedAhead(LogBatch batch) {
		DispatchedAhead ahead = this.ahead;
		if (ahead == null || ahead.batch() != batch || !ahead.isCurrent()) {
			return null;
		}
		this.ahead = null;
		return ahead.commands();
	}

	private void cancelAhead() {
		DispatchedAhead ahead = this.ahead;
		this.ahead = null;
		if (ahead != null) {
			ahead.commands().cancelUnanswered();
		}
	}

	@Override
	public boolean isOpen() {
		return this.connection.isOpen();
	}

	@Override
	public void release() {
		this.connection.setTimeout(this.timeout);
	}

	private boolean tell(DispatchedCommands commands, LogBatch batch) {
		List<LogCommand> sent = commands.sent;
		boolean allDone = commands.await(System.nanoTime() + this.timeout.toNanos());
		boolean answered = true;
		for (int i = 0; i < sent.size(); i++) {
			LogCommand command = sent.get(i);
			if (!allDone && !command.isDone()) {
				throw new QueryTimeoutException("Redis did not reply to " + (sent.size() - i) + " of " + sent.size()
						+ " commands within " + this.timeout);
			}
			String error = command.errorReply();
			if (!command.isReplied() || (error != null && RedisRefusals.code(error) == null)) {
				// Failed without a reply of Redis, such as "Unable to connect": unknown outcome.
				answered = false;
			}
			else {
				batch.replied(i, error);
				long integer = command.integerReply();
				if (error == null && this.countsReceivers && integer != LogReplyOutput.NO_INTEGER) {
					batch.receivedBy(i, integer);
				}
			}
		}
		return answered;
	}

	/**
	 * The commands of a batch dispatched ahead, until the batch is published.
	 *
	 * @param batch the batch
	 * @param generation the batch's generation when they were written, which tells it
	 * from a later batch in the same object
	 * @param commands the commands
	 */
	private record DispatchedAhead(LogBatch batch, int generation, DispatchedCommands commands) {

		boolean isCurrent() {
			return this.batch.generation() == this.generation;
		}

	}

	/**
	 * Builds a batch's commands and hands them to the connection every
	 * {@value LettucePipeline#DISPATCH_EVERY_COMMANDS}.
	 */
	private final class DispatchedCommands implements RedisLogCommands {

		private final PendingReplies pending = new PendingReplies();

		private final List<LogCommand> sent = new ArrayList<>();

		// A batch writes to few keys, the same arrays for each of their commands.
		private final Map<byte[], CommandArgs<byte[], byte[]>> keyArgs = new IdentityHashMap<>();

		private List<RedisCommand<byte[], byte[], ?>> toDispatch = new ArrayList<>(DISPATCH_EVERY_COMMANDS);

		@Override
		public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
			add(LettucePipeline.this.setIfAbsent, key, value, ttlSeconds);
		}

		@Override
		public void xAdd(byte[] streamKey, byte[] json) {
			add(LettucePipeline.this.xAdd, streamKey, json, 0);
		}

		@Override
		public void publish(byte[] channel, byte[] json) {
			add(LettucePipeline.this.publish, channel, json, 0);
		}

		@Override
		public void sPublish(byte[] channel, byte[] json) {
			add(LettucePipeline.this.sPublish, channel, json, 0);
		}

		@Override
		public void expire(byte[] key, long ttlSeconds) {
			add(LettucePipeline.this.expire, key, null, ttlSeconds);
		}

		private void add(LogCommand.Layout layout, byte[] key, byte @Nullable [] value, long number) {
			CommandArgs<byte[], byte[]> keyArgs = this.keyArgs.computeIfAbsent(key,
					(k) -> new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(k));
			LogCommand command = new LogCommand(layout, keyArgs, key, value, number, this.pending);
			this.pending.sent();
			this.sent.add(command);
			this.toDispatch.add(command);
			if (this.toDispatch.size() == DISPATCH_EVERY_COMMANDS) {
				dispatchWritten();
			}
		}

		/**
		 * Hand the commands written since the last call to the connection.
		 */
		void dispatchWritten() {
			if (this.toDispatch.isEmpty()) {
				return;
			}
			List<RedisCommand<byte[], byte[], ?>> commands = this.toDispatch;
			// Not reused: the connection's writers take the collection as theirs.
			this.toDispatch = new ArrayList<>(DISPATCH_EVERY_COMMANDS);
			LettucePipeline.this.connection.dispatch(commands);
		}

		boolean await(long deadline) {
			try {
				return this.pending.await(deadline);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new RedisConnectionFailureException("Interrupted while waiting for Redis", ex);
			}
		}

		// Lettuce keeps the commands of a lost connection and sends them again when it
		// reconnects: once the batch takes their outcome as unknown and sends them itself,
		// that would write them twice. Commands never dispatched are cancelled too.
		void cancelUnanswered() {
			for (LogCommand command : this.sent) {
				if (!command.isDone()) {
					command.cancel();
				}
			}
		}

	}

}
