package io.github.redislog.writer;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.ClassUtils;

/**
 * Writes a batch's commands (see {@link LogBatch}) in one pipeline on a connection of the
 * application's {@link RedisConnectionFactory}: works with any factory, Sentinel, SSL and
 * Jedis included. {@link DirectRedisLogPublisher} is faster where it applies.
 * <p>
 * The pipeline runs on a connection of the publisher's own, kept from one batch to the
 * next: {@code RedisTemplate.executePipelined} opens a new one per batch when the factory
 * has no pool, a TCP connection and a handshake per batch, which held delivery to about a
 * third of what this publisher reaches. The pipeline goes through the client's own API
 * ({@link LettucePipeline}, {@link JedisPipeline}), which tells the reply to each command.
 * What the publisher changes on its connection is undone before the connection goes back
 * to the factory: the application's own connections are untouched.
 * <p>
 * A connection that failed, or that left a command without a reply, is closed, which
 * cancels whatever it still buffers, and the next batch opens a new one, so a retried
 * batch never meets leftovers of the failed attempt. So is a connection that lost Redis
 * between two batches: reconnecting, it would hold the next batch until the timeout, while
 * a new connection fails at once when Redis is still down. A connection that only carried
 * error replies is in step and kept. On a Redis Cluster, a failed write also has the client
 * learn the topology anew (see {@link ClusterTopologyRefresh}), so that delivery follows a
 * failover. See {@code BENCHMARKS.md} for the figures.
 *
 * @author Redis Log contributors
 */
public final class PipelinedRedisLogPublisher
		extends ConnectionHoldingPublisher<PipelinedRedisLogPublisher.HeldConnection> {

	private static final boolean LETTUCE_PRESENT = ClassUtils.isPresent(
			"org.springframework.data.redis.connection.lettuce.LettuceConnection",
			PipelinedRedisLogPublisher.class.getClassLoader());

	private static final boolean JEDIS_PRESENT = ClassUtils.isPresent("redis.clients.jedis.Jedis",
			PipelinedRedisLogPublisher.class.getClassLoader());

	private final RedisConnectionFactory connectionFactory;

	private final long streamMaxLength;

	private final @Nullable ClusterTopologyRefresh topologyRefresh;

	/**
	 * Create a publisher.
	 * @param connectionFactory the factory of the connection that the publisher holds
	 * @param streamMaxLength the approximate number of entries each stream keeps
	 */
	public PipelinedRedisLogPublisher(RedisConnectionFactory connectionFactory, long streamMaxLength) {
		this.connectionFactory = connectionFactory;
		this.streamMaxLength = streamMaxLength;
		this.topologyRefresh = LETTUCE_PRESENT ? ClusterTopologyRefresh.of(connectionFactory) : null;
	}

	@Override
	public void publish(LogBatch batch, Runnable whileRedisWorks) {
		boolean inStep = false;
		HeldConnection held = null;
		try {
			held = connection();
			inStep = held.pipeline().publish(batch, whileRedisWorks);
		}
		finally {
			if (!inStep) {
				if (held != null) {
					discard(held);
				}
				if (this.topologyRefresh != null) {
					this.topologyRefresh.afterFailure();
				}
			}
		}
	}

	@Override
	public boolean writeAhead(LogBatch next) {
		try {
			return connection().pipeline().writeAhead(next);
		}
		catch (RuntimeException ex) {
			// No connection: the batch goes out when it is published.
			return false;
		}
	}

	@Override
	protected HeldConnection open() {
		RedisConnection connection = this.connectionFactory.getConnection();
		try {
			return new HeldConnection(connection, pipeline(connection));
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	private BatchPipeline pipeline(RedisConnection connection) {
		BatchPipeline pipeline = LETTUCE_PRESENT ? LettucePipeline.of(connection, this.streamMaxLength) : null;
		if (pipeline == null && JEDIS_PRESENT) {
			pipeline = JedisPipeline.of(connection, this.streamMaxLength);
		}
		if (pipeline == null) {
			throw new IllegalStateException("Redis Log writes through Lettuce or Jedis, not through "
					+ connection.getClass().getName() + "; declare a RedisLogPublisher bean of your own for it");
		}
		return pipeline;
	}

	@Override
	protected boolean isUsable(HeldConnection held) {
		return held.pipeline().isOpen();
	}

	@Override
	protected void close(HeldConnection held) {
		try {
			held.pipeline().release();
		}
		finally {
			held.connection().close();
		}
	}

	/**
	 * The connection the publisher holds, with the pipeline that writes on it.
	 *
	 * @param connection the connection
	 * @param pipeline the pipeline
	 */
	record HeldConnection(RedisConnection connection, BatchPipeline pipeline) {

	}

}
