package io.github.redislog.delivery;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Parks the one consumer of a queue until the queue holds as many records as it waits
 * for, and has the producers wake it only then: waking a thread costs the producer a
 * system call, so a consumer that waits for a full batch is not woken by every record.
 * <p>
 * Announcing the wait and looking at the queue again before parking, against a producer
 * that counts its record before it looks for a waiting consumer, means that no wake-up is
 * lost: one of the two sees the other.
 *
 * @author Redis Log contributors
 */
public final class ConsumerParking {

	// The consumer while it is parked or about to park, else null.
	private final AtomicReference<@Nullable Thread> waitingConsumer = new AtomicReference<>();

	private volatile long wakeAt = 1;

	/**
	 * Called by a producer once its record is counted: wake the consumer if it waits for no
	 * more records than the queue holds.
	 * @param queued how many records the queue holds, the producer's included
	 */
	public void added(long queued) {
		Thread consumer = this.waitingConsumer.get();
		if (consumer != null && queued >= this.wakeAt && this.waitingConsumer.compareAndSet(consumer, null)) {
			LockSupport.unpark(consumer);
		}
	}

	/**
	 * Park the calling consumer until the queue holds at least {@code count} records, the
	 * timeout passes or the thread is unparked otherwise; callers look at the queue again.
	 * @param count how many records to wait for
	 * @param queued how many records the queue holds
	 * @param timeoutNanos the longest wait
	 * @param blocker what the thread is parked on, as thread dumps show it
	 * @throws InterruptedException if the thread is interrupted
	 */
	public void await(long count, LongSupplier queued, long timeoutNanos, Object blocker) throws InterruptedException {
		if (Thread.interrupted()) {
			throw new InterruptedException();
		}
		this.wakeAt = count;
		this.waitingConsumer.set(Thread.currentThread());
		try {
			if (queued.getAsLong() < count) {
				LockSupport.parkNanos(blocker, timeoutNanos);
			}
		}
		finally {
			this.waitingConsumer.set(null);
		}
	}

}
