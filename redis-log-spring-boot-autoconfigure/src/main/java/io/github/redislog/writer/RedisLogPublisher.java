package io.github.redislog.writer;

/**
 * Writes one batch of records to Redis. Kept small so that a deployment can bring its own,
 * for example a Redis Cluster writer that groups commands per node.
 * <p>
 * A publisher sends the commands that {@link LogBatch#write} gives it and tells the batch
 * the reply to each one ({@link LogBatch#replied}); the worker then decides per record
 * what is delivered, what to send again and what Redis refused for good. A command left
 * without a reply is sent again, but a publisher that keeps returning without one costs
 * the records waiting for it after a few attempts (dropped as {@code no_reply}).
 *
 * @author Redis Log contributors
 * @see DirectRedisLogPublisher
 * @see PipelinedRedisLogPublisher
 */
@FunctionalInterface
public interface RedisLogPublisher {

	/**
	 * Write the commands a batch still needs and tell it Redis' replies. Called on the
	 * worker thread only.
	 * @param batch the batch
	 * @throws RuntimeException if not every command got a reply; if the exception says
	 * that the connection failed or timed out, the commands without a reply are sent
	 * again, otherwise their records are dropped as rejected
	 */
	void publish(LogBatch batch);

	/**
	 * Write the commands a batch still needs, run some other work while Redis works on
	 * them, and tell the batch Redis' replies. The worker uses it to prepare its next batch
	 * meanwhile, so that the connection stays busy. Called on the worker thread only.
	 * <p>
	 * The default publishes and does not run the work: a publisher that cannot overlap the
	 * two leaves it to the worker's next turn.
	 * @param batch the batch
	 * @param whileRedisWorks run at most once, after the commands are written and before
	 * their replies are read; it does not throw
	 * @throws RuntimeException as {@link #publish(LogBatch)}
	 */
	default void publish(LogBatch batch, Runnable whileRedisWorks) {
		publish(batch);
	}

}
