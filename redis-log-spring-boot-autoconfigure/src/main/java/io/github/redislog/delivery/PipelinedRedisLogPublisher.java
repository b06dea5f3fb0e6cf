package io.github.redislog.delivery;

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
 * third of what this publisher reaches. With Lettuce, the pipeline goes through Lettuce's
 * own API (see {@link LettucePipeline}), which tells the reply to each command; otherwise
 * through Spring Data Redis's. What the publisher changes on its connection is undone
 * before the connection goes back to the factory: the application's own connections are
 * untouched.
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
	public void publish(LogBatch batch) {
		boolean inStep = false;
		HeldConnection held = null;
		try {
			held = connection();
			inStep = held.pipeline().publish(batch);
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
	protected HeldConnection open() {
		RedisConnection connection = this.connectionFactory.getConnection();
		try {
			BatchPipeline pipeline = LETTUCE_PRESENT ? LettucePipeline.of(connection, this.streamMaxLength) : null;
			return new HeldConnection(connection,
					(pipeline != null) ? pipeline : new SpringDataPipeline(connection, this.streamMaxLength));
		}
		catch (RuntimeException ex) {
			connection.close();
			throw ex;
		}
	}

	@Override
	protected boolean isUsable(HeldConnection held) {
		return held.pipeline().isOpen();
	}

	@Override
	protected void close(HeldConnection held) {
		held.pipeline().release();
		held.connection().close();
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
