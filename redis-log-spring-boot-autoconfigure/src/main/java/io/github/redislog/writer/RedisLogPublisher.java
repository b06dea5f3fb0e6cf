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

	/**
	 * Write the commands of the batch that follows the one being published, from within
	 * that one's {@code whileRedisWorks}: Redis then has them as soon as it is done with
	 * the batch before, instead of waiting for the worker to read that batch's replies and
	 * write the next. The next {@link #publish(LogBatch, Runnable) publish} of this batch
	 * reads their replies, and writes them only if the connection they went out on failed
	 * meanwhile. A publish of any other batch, such as another attempt at the one before,
	 * first reads the replies of the batch written ahead, which keep their meaning.
	 * <p>
	 * The default writes nothing: the batch goes out when it is published.
	 * @param next the next batch, its records all added
	 * @return whether its commands were written; it does not throw, a write that failed
	 * leaves the batch to its publish
	 */
	default boolean writeAhead(LogBatch next) {
		return false;
	}

}
