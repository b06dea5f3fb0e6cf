package io.github.redislog.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.redislog.support.UnpublishedThread;

import org.jspecify.annotations.Nullable;

/**
 * Runs the worker's {@link DeliveryLoop} on a thread of its own and accounts for what each
 * thread leaves behind. A thread that dies of the JVM's own trouble (running out of memory)
 * has the records it held counted as dropped ({@code worker_failed}), health shows the
 * cause, and a new thread takes over, at most once a second. A thread that ends at the
 * shutdown deadline has what it held, and what is queued, counted as dropped
 * ({@code shutdown}).
 * <p>
 * The queue has one consumer at a time: each {@link #start()} begins a generation, and a
 * thread of an earlier one, still blocked in a write after it was {@link #retire() retired},
 * never takes from the queue again.
 *
 * @author Redis Log contributors
 */
final class WorkerSupervisor {

	private static final Duration RESTART_INTERVAL = Duration.ofSeconds(1);

	private final Object monitor = new Object();

	private final DeliveryLoop loop;

	private final BatchDelivery delivery;

	private final LogRecordQueue queue;

	private final DeliveryCounters counters;

	private final RedisWriteStatus writeStatus;

	private final OutageReport outageReport;

	private final ShutdownDeadline shutdown;

	private final Duration shutdownTimeout;

	// Which start a thread belongs to: a thread of an earlier one gives up.
	private volatile long generation;

	// Whether the threads of the current generation consume the queue.
	private boolean consuming;

	private @Nullable Thread thread;

	private long lastThreadStart;

	WorkerSupervisor(DeliveryLoop loop, BatchDelivery delivery, LogRecordQueue queue, DeliveryCounters counters,
			RedisWriteStatus writeStatus, OutageReport outageReport, ShutdownDeadline shutdown,
			Duration shutdownTimeout) {
		this.loop = loop;
		this.delivery = delivery;
		this.queue = queue;
		this.counters = counters;
		this.writeStatus = writeStatus;
		this.outageReport = outageReport;
		this.shutdown = shutdown;
		this.shutdownTimeout = shutdownTimeout;
	}

	/**
	 * Begin a new generation with a thread that consumes the queue.
	 */
	void start() {
		synchronized (this.monitor) {
			this.generation++;
			this.consuming = true;
			startThread(this.generation, 0);
		}
	}

	/**
	 * Return the thread that consumes the queue now.
	 * @return the thread, or {@code null} if none was started since the last
	 * {@link #retire()}
	 */
	@Nullable Thread thread() {
		synchronized (this.monitor) {
			return this.thread;
		}
	}

	/**
	 * End the current generation: its thread, if it still runs, never takes from the
	 * queue again, and drops what is queued when it ends.
	 * @return the generation's last thread, or {@code null} if none was started
	 */
	@Nullable Thread retire() {
		synchronized (this.monitor) {
			this.generation++;
			this.consuming = false;
			Thread retired = this.thread;
			this.thread = null;
			return retired;
		}
	}

	private void startThread(long generation, long delayNanos) {
		Thread worker = new UnpublishedThread(() -> run(generation, delayNanos), "redis-log-worker");
		this.thread = worker;
		this.lastThreadStart = System.nanoTime() + Math.max(delayNanos, 0);
		worker.start();
	}

	private void run(long generation, long delayNanos) {
		List<LogRecord> batch = this.loop.newBatch();
		int givenUp;
		try {
			if (delayNanos > 0) {
				sleep(delayNanos);
			}
			givenUp = this.loop.run(batch, () -> isCurrent(generation));
		}
		catch (Throwable ex) {
			died(generation, batch, ex);
			return;
		}
		finish(generation, batch, givenUp);
	}

	private boolean isCurrent(long generation) {
		return this.generation == generation;
	}

	// The thread leaves, the deadline passed or it was interrupted: what it collected and,
	// unless a newer thread consumes the queue, what is queued was not delivered in time.
	private void finish(long generation, List<LogRecord> batch, int givenUp) {
		int dropped = givenUp + drop(batch, DropReason.SHUTDOWN) + dropQueuedUnlessConsumed(generation);
		if (dropped > 0) {
			this.outageReport.shutdownTimedOut(this.shutdownTimeout, dropped);
		}
		// No turn of this thread follows to report its last drops.
		this.counters.dropped().reportIfDue();
	}

	// Only while no newer thread consumes the queue: it has one consumer at a time.
	private int dropQueuedUnlessConsumed(long generation) {
		synchronized (this.monitor) {
			if (!isCurrent(generation) && this.consuming) {
				return 0;
			}
			this.queue.close();
			List<LogRecord> queued = new ArrayList<>();
			this.queue.drainTo(queued, Integer.MAX_VALUE);
			return drop(queued, DropReason.SHUTDOWN);
		}
	}

	private void died(long generation, List<LogRecord> batch, Throwable cause) {
		try {
			// The delivery counts the batch it held; the rest the thread took for the next.
			List<LogRecord> held = batch.subList(0, this.delivery.abandon(DropReason.WORKER_FAILED));
			this.queue.release(held);
			held.clear();
			drop(batch, DropReason.WORKER_FAILED);
			this.writeStatus.workerDied(cause);
			this.outageReport.workerDied(cause);
		}
		finally {
			synchronized (this.monitor) {
				if (isCurrent(generation) && !this.shutdown.isRequested()) {
					// At most one replacement a second: a thread that keeps dying must not spin.
					startThread(generation, this.lastThreadStart + RESTART_INTERVAL.toNanos() - System.nanoTime());
				}
				else {
					dropQueuedUnlessConsumed(generation);
				}
			}
			this.counters.dropped().reportIfDue();
		}
	}

	private int drop(List<LogRecord> records, DropReason reason) {
		records.forEach((record) -> this.counters.dropped().add(reason, record.contextId(), 1));
		this.queue.release(records);
		int dropped = records.size();
		records.clear();
		return dropped;
	}

	private static void sleep(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			// A replacement waits out its delay only to spare a busy loop; go on.
		}
	}

}
