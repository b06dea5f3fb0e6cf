package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.redislog.wire.LogChannel;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;

/**
 * A pipeline on the Lettuce connection under a Spring Data Redis one, through Lettuce's own
 * API: Spring Data Redis's {@code closePipeline()} gives up every reply when one command
 * failed (Lettuce's {@code awaitAll} throws on the first error), while the batch needs the
 * reply to each. The connection flushes every {@value #FLUSH_EVERY_COMMANDS} commands and
 * at the end, so that Redis starts on a batch while the worker still adds to it, and
 * schedules no timeout per command: the pipeline waits for all replies with the
 * connection's timeout.
 *
 * @author Redis Log contributors
 */
final class LettucePipeline implements BatchPipeline {

	/**
	 * Commands sent before they are flushed: measured against flushing each command and
	 * flushing once per batch, see {@code BENCHMARKS.md}.
	 */
	static final int FLUSH_EVERY_COMMANDS = 100;

	private static final byte[] DATA_FIELD = LogChannel.PAYLOAD_FIELD.getBytes(StandardCharsets.UTF_8);

	private final StatefulConnection<byte[], byte[]> connection;

	private final RedisClusterAsyncCommands<byte[], byte[]> commands;

	private final XAddArgs xAddArgs;

	private final Duration timeout;

	// On a cluster, a PUBLISH counts only the subscribers of the node it reached.
	private final boolean countsReceivers;

	private LettucePipeline(StatefulConnection<byte[], byte[]> connection,
			RedisClusterAsyncCommands<byte[], byte[]> commands, long streamMaxLength, boolean countsReceivers) {
		this.connection = connection;
		this.commands = commands;
		this.countsReceivers = countsReceivers;
		this.xAddArgs = XAddArgs.Builder.maxlen(streamMaxLength).approximateTrimming();
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
				return new LettucePipeline(standalone.getStatefulConnection(), commands, streamMaxLength, true);
			}
			if (commands instanceof RedisAdvancedClusterAsyncCommands<byte[], byte[]> cluster) {
				return new LettucePipeline(cluster.getStatefulConnection(), commands, streamMaxLength, false);
			}
			return null;
		}
		finally {
			lettuce.closePipeline();
		}
	}

	@Override
	public boolean publish(LogBatch batch) {
		List<RedisFuture<?>> replies = new ArrayList<>();
		boolean answered = false;
		try {
			this.connection.setAutoFlushCommands(false);
			try {
				batch.write(new AsyncCommands(replies));
				this.connection.flushCommands();
			}
			finally {
				this.connection.setAutoFlushCommands(true);
			}
			answered = tell(replies, batch);
			return answered;
		}
		finally {
			if (!answered) {
				cancelUnanswered(replies);
			}
		}
	}

	// Lettuce keeps the commands of a lost connection and sends them again when it
	// reconnects: once the batch takes their outcome as unknown and sends them itself, that
	// would write them twice.
	private static void cancelUnanswered(List<RedisFuture<?>> replies) {
		for (RedisFuture<?> reply : replies) {
			if (!reply.isDone()) {
				reply.cancel(false);
			}
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

	private boolean tell(List<RedisFuture<?>> replies, LogBatch batch) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		boolean answered = true;
		for (int i = 0; i < replies.size(); i++) {
			RedisFuture<?> reply = replies.get(i);
			if (!await(reply, deadline)) {
				throw new QueryTimeoutException("Redis did not reply to " + (replies.size() - i) + " of "
						+ replies.size() + " commands within " + this.timeout);
			}
			if (!reply.toCompletableFuture().isCompletedExceptionally()) {
				batch.replied(i, null);
				if (this.countsReceivers && reply.toCompletableFuture().getNow(null) instanceof Long receivers) {
					batch.receivedBy(i, receivers);
				}
			}
			else if (RedisRefusals.code(reply.getError()) != null) {
				batch.replied(i, reply.getError());
			}
			else {
				// Failed without a reply of Redis, such as "Unable to connect": unknown outcome.
				answered = false;
			}
		}
		return answered;
	}

	private static boolean await(RedisFuture<?> reply, long deadline) {
		try {
			return reply.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RedisConnectionFailureException("Interrupted while waiting for Redis", ex);
		}
	}

	/**
	 * Sends a batch's commands, flushing them every
	 * {@value LettucePipeline#FLUSH_EVERY_COMMANDS}.
	 */
	private final class AsyncCommands implements RedisLogCommands {

		private final List<RedisFuture<?>> replies;

		AsyncCommands(List<RedisFuture<?>> replies) {
			this.replies = replies;
		}

		@Override
		public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
			sent(LettucePipeline.this.commands.set(key, value, SetArgs.Builder.nx().ex(ttlSeconds)));
		}

		@Override
		public void xAdd(byte[] streamKey, byte[] json) {
			sent(LettucePipeline.this.commands.xadd(streamKey, LettucePipeline.this.xAddArgs, Map.of(DATA_FIELD, json)));
		}

		@Override
		public void publish(byte[] channel, byte[] json) {
			sent(LettucePipeline.this.commands.publish(channel, json));
		}

		@Override
		public void sPublish(byte[] channel, byte[] json) {
			sent(LettucePipeline.this.commands.spublish(channel, json));
		}

		@Override
		public void expire(byte[] key, long ttlSeconds) {
			sent(LettucePipeline.this.commands.expire(key, ttlSeconds));
		}

		private void sent(RedisFuture<?> reply) {
			this.replies.add(reply);
			if (this.replies.size() % FLUSH_EVERY_COMMANDS == 0) {
				LettucePipeline.this.connection.flushCommands();
			}
		}

	}

}
