package io.github.redislog.writer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * Counts the commands of a batch that still wait for their outcome, and wakes the thread
 * that waits for them once, when the last one is done: Lettuce completes each command on
 * its I/O thread, and a wake-up per command would cost a thread switch per command.
 * Commands are counted as they are sent, so that part of a batch can be on its way while
 * the rest is written.
 *
 * @author Redis Log contributors
 */
final class PendingReplies {

	private final AtomicInteger pending = new AtomicInteger();

	private volatile @Nullable Thread waiter;

	/**
	 * Count a command about to be sent.
	 */
	void sent() {
		this.pending.incrementAndGet();
	}

	/**
	 * Count a command done: replied to, failed or cancelled. Called once per command, from
	 * any thread.
	 */
	void done() {
		if (this.pending.decrementAndGet() == 0) {
			Thread waiter = this.waiter;
			if (waiter != null) {
				LockSupport.unpark(waiter);
			}
		}
	}

	/**
	 * Wait until every command counted so far is done.
	 * @param deadline the {@link System#nanoTime()} to wait until at most
	 * @return whether every command is done
	 * @throws InterruptedException if the thread is interrupted while it waits
	 */
	boolean await(long deadline) throws InterruptedException {
		// Set before the count is read: a command done in between sees the waiter.
		this.waiter = Thread.currentThread();
		try {
			while (this.pending.get() > 0) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				LockSupport.parkNanos(this, remaining);
				if (Thread.interrupted()) {
					throw new InterruptedException();
				}
			}
			return true;
		}
		finally {
			this.waiter = null;
		}
	}

}
