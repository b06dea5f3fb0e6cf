package io.github.redislog.support;

/**
 * A thread of the starter's own, such as the delivery worker or the live view's reader and
 * senders: the appender never publishes its records, because each published record would
 * give it more work and could loop.
 *
 * @author Redis Log contributors
 */
public final class UnpublishedThread extends Thread {

	/**
	 * Create a daemon thread: it must not keep the JVM alive when Redis hangs.
	 * @param task what the thread runs
	 * @param name the thread's name
	 */
	public UnpublishedThread(Runnable task, String name) {
		super(task, name);
		setDaemon(true);
	}

	/**
	 * Return whether the calling thread is one whose records are not published.
	 * @return whether the current thread is an {@code UnpublishedThread}
	 */
	public static boolean isCurrent() {
		return Thread.currentThread() instanceof UnpublishedThread;
	}

}
