package io.github.redislog.logback;

/**
 * Marks the starter's own threads, such as the live view's stream reader and senders:
 * the {@link RedisLogAppender} never publishes their records, because each published
 * record would give them more work and could loop.
 *
 * @author Redis Log contributors
 */
public interface UnpublishedThread {

	/**
	 * Return whether the calling thread is one whose records are not published.
	 * @return whether the current thread is an {@code UnpublishedThread}
	 */
	static boolean isCurrent() {
		return Thread.currentThread() instanceof UnpublishedThread;
	}

}
