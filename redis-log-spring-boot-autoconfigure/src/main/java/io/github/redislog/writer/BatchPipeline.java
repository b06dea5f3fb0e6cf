package io.github.redislog.writer;

/**
 * Sends a batch's commands as one pipeline on a connection that the
 * {@link PipelinedRedisLogPublisher} holds, and tells the batch each reply.
 *
 * @author Redis Log contributors
 */
interface BatchPipeline {

	/**
	 * Send the commands the batch still needs and tell it the replies.
	 * @param batch the batch
	 * @param whileRedisWorks run at most once, after the commands are sent and before their
	 * replies are told (see {@link RedisLogPublisher#publish(LogBatch, Runnable)})
	 * @return whether every command got a reply of Redis, so that the connection is still
	 * in step; if not, the publisher replaces it
	 * @throws RuntimeException if no reply can be told: the outcome of every command is
	 * unknown
	 */
	boolean publish(LogBatch batch, Runnable whileRedisWorks);

	/**
	 * Send the commands of the next batch before the replies to the one in hand are told
	 * (see {@link RedisLogPublisher#writeAhead}).
	 * @param next the next batch
	 * @return whether they were sent; the default sends nothing
	 */
	default boolean writeAhead(LogBatch next) {
		return false;
	}

	/**
	 * Return whether the connection may take the next batch.
	 * @return {@code false} if it lost Redis since the last batch
	 */
	boolean isOpen();

	/**
	 * Undo what the pipeline changed on the connection, before it goes back to the factory.
	 */
	void release();

}
