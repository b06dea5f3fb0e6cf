package io.github.redislog.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.redislog.support.SafeTroubleReporter;
import io.github.redislog.support.TroubleReporter;
import io.github.redislog.support.UnpublishedThread;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.writer.ConnectionHoldingPublisher;
import io.github.redislog.writer.RedisLogPublisher;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The one thread that moves records from the {@link LogRecordQueue} to Redis. It takes up
 * to {@code batchSize} records, or whatever arrived within {@code flushInterval} of the
 * first, and hands them to a {@link BatchDelivery}, which settles each record: published,
 * retried while Redis refuses it for now, or dropped at once when Redis refuses it for
 * good.
 * <p>
 * Nothing a collaborator throws ends the thread; if the JVM's own trouble (running out of
 * memory) does, the records it held are counted as dropped, health shows the cause, and a
 * new thread takes over, at most once a second. The queue has one consumer at a time: a
 * thread of an earlier start, still blocked in a write after it was given up on, never
 * takes from it again.
 * <p>
 * It stops after the web server (no more requests log through it) and before the Redis
 * connection factory, draining the queue for at most {@code shutdownTimeout}.
 *
 * @author Redis Log contributors
 */
public final class RedisLogWorker implements SmartLifecycle {

	/**
	 * Lifecycle phase: just above the Redis connection factory's (0), so the worker stops
	 * before it, and after everything that may still log while stopping: the web server,
	 * task executors and schedulers; and above the phase of a publisher that holds its
	 * connection, which closes it after the last batch.
	 */
	public static final int PHASE = ConnectionHoldingPublisher.PHASE + 1;

	private static final Duration IDLE_WAIT = Duration.ofMillis(100);

	private static final Duration RESTART_INTERVAL = Duration.ofSeconds(1);

	// How long stop() waits for the thread after interrupting it at the deadline.
	private static final Duration INTERRUPTED_STOP_WAIT = Duration.ofSeconds(1);

	private final Object lifecycleMonitor = new Object();

	private final LogRecordQueue queue;

	private final BatchDelivery delivery;

	private final DeliveryCounters counters;

	private final RedisWriteStatus writeStatus;

	private final OutageReport outageReport;

	private final ShutdownDeadline shutdown = new ShutdownDeadline();

	private final int batchSize;

	private final Duration flushInterval;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	// Which start a thread belongs to: a thread of an earlier one gives up.
	private volatile long generation;

	private @Nullable Thread thread;

	private volatile @Nullable Thread previousThread;

	private long lastThreadStart;

	public RedisLogWorker(LogRecordQueue queue, LogPayloadWriter payloadWriter, RedisLogPublisher publisher,
			LogChannels channels, DeliveryCounters counters, RedisWriteStatus writeStatus,
			TroubleReporter troubleReporter, int batchSize, Duration flushInterval, Duration shutdownTimeout) {
		Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
		TroubleReporter safeReporter = SafeTroubleReporter.of(troubleReporter);
		this.queue = queue;
		this.delivery = new BatchDelivery(payloadWriter, publisher, channels, counters, writeStatus, safeReporter,
				this.shutdown);
		this.counters = counters;
		this.writeStatus = writeStatus;
		this.outageReport = new OutageReport(safeReporter);
		this.batchSize = batchSize;
		this.flushInterval = flushInterval;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void start() {
		awaitPreviousThread();
		synchronized (this.lifecycleMonitor) {
			if (this.running) {
				return;
			}
			this.shutdown.reset();
			this.queue.open();
			this.generation++;
			this.running = true;
			startThread(this.generation, 0);
		}
	}

	// A thread that stop() gave up on may still be in a write: it holds the batch and the
	// publisher's connection, which a new thread must not share.
	private void awaitPreviousThread() {
		Thread previous = this.previousThread;
		if (previous != null && !join(previous, this.shutdownTimeout.plus(INTERRUPTED_STOP_WAIT))) {
			throw new IllegalStateException("The log delivery worker of the previous start still waits for Redis "
					+ "after its shutdown timeout; it must end before a new one takes over");
		}
		this.previousThread = null;
	}

	@Override
	public void stop() {
		Thread worker;
		synchronized (this.lifecycleMonitor) {
			if (!this.running) {
				return;
			}
			this.shutdown.request(this.shutdownTimeout);
			worker = this.thread;
		}
		if (worker != null && !join(worker, this.shutdownTimeout.plusMillis(100))) {
			// Blocked in a write to Redis: an interruption ends the write, and the thread
			// drops what it holds.
			worker.interrupt();
			if (!join(worker, INTERRUPTED_STOP_WAIT)) {
				this.outageReport.workerDidNotStop(this.shutdownTimeout);
			}
		}
		synchronized (this.lifecycleMonitor) {
			this.generation++;
			this.previousThread = this.thread;
			this.thread = null;
			this.running = false;
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Return how many records were written to Redis.
	 * @return the count since startup
	 */
	public long publishedCount() {
		return this.counters.publishedCount();
	}

	private void startThread(long generation, long delayNanos) {
		Thread worker = new UnpublishedThread(() -> run(generation, delayNanos), "redis-log-worker");
		this.thread = worker;
		this.lastThreadStart = System.nanoTime() + Math.max(delayNanos, 0);
		worker.start();
	}

	private void run(long generation, long delayNanos) {
		List<LogRecord> batch = new ArrayList<>(this.batchSize);
		int givenUp = 0;
		try {
			if (delayNanos > 0) {
				sleep(delayNanos);
			}
			while (hasWork(generation)) {
				try {
					collect(batch);
				}
				catch (InterruptedException ex) {
					// stop() interrupts at the deadline; any other interruption changes nothing.
					if (this.shutdown.isRequested()) {
						break;
					}
				}
				if (!batch.isEmpty()) {
					givenUp += this.delivery.deliver(batch);
					this.queue.release(batch);
					batch.clear();
				}
			}
		}
		catch (Throwable ex) {
			died(generation, batch, ex);
			return;
		}
		finish(generation, batch, givenUp);
	}

	// Until stopping is requested, then while records are queued and time is left. The
	// queue closes before the last look: a log call that raced with the stop has its
	// record delivered here, or, once the queue is closed, counted as dropped at once.
	private boolean hasWork(long generation) {
		if (!isCurrent(generation)) {
			return false;
		}
		if (!this.shutdown.isRequested()) {
			return true;
		}
		if (this.shutdown.hasPassed()) {
			return false;
		}
		if (this.queue.size() > 0) {
			return true;
		}
		this.queue.close();
		return this.queue.size() > 0;
	}

	private boolean isCurrent(long generation) {
		return this.generation == generation;
	}

	private void collect(List<LogRecord> batch) throws InterruptedException {
		LogRecord first = this.queue.poll(this.shutdown.isRequested() ? Duration.ZERO : IDLE_WAIT);
		if (first == null) {
			return;
		}
		batch.add(first);
		this.queue.drainTo(batch, this.batchSize - 1);
		long lingerUntil = System.nanoTime() + this.flushInterval.toNanos();
		while (batch.size() < this.batchSize && !this.shutdown.isRequested()) {
			long remaining = lingerUntil - System.nanoTime();
			LogRecord next = (remaining > 0) ? this.queue.poll(Duration.ofNanos(remaining)) : null;
			if (next == null) {
				return;
			}
			batch.add(next);
			this.queue.drainTo(batch, this.batchSize - batch.size());
		}
	}

	// The thread leaves, the deadline passed or it was interrupted: what it collected and,
	// unless a newer thread consumes the queue, what is queued was not delivered in time.
	private void finish(long generation, List<LogRecord> batch, int givenUp) {
		int dropped = givenUp + drop(batch, DropReason.SHUTDOWN) + dropQueuedUnlessConsumed(generation);
		if (dropped > 0) {
			this.outageReport.shutdownTimedOut(this.shutdownTimeout, dropped);
		}
	}

	// Only while no newer thread consumes the queue: it has one consumer at a time.
	private int dropQueuedUnlessConsumed(long generation) {
		synchronized (this.lifecycleMonitor) {
			if (!isCurrent(generation) && this.running) {
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
			if (this.delivery.isHolding()) {
				this.delivery.dropUnaccounted(DropReason.WORKER_FAILED);
				this.queue.release(batch);
			}
			else {
				drop(batch, DropReason.WORKER_FAILED);
			}
			this.writeStatus.workerDied(cause);
			this.outageReport.workerDied(cause);
		}
		finally {
			synchronized (this.lifecycleMonitor) {
				if (isCurrent(generation) && !this.shutdown.isRequested()) {
					// At most one replacement a second: a thread that keeps dying must not spin.
					startThread(generation, this.lastThreadStart + RESTART_INTERVAL.toNanos() - System.nanoTime());
				}
				else {
					dropQueuedUnlessConsumed(generation);
				}
			}
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

	private static boolean join(Thread thread, Duration timeout) {
		try {
			thread.join(timeout.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return !thread.isAlive();
	}

}
