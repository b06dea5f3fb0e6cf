package io.github.redislog.delivery;

import java.time.Duration;

import io.github.redislog.support.SafeTroubleReporter;
import io.github.redislog.support.TroubleReporter;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.writer.ConnectionHoldingPublisher;
import io.github.redislog.writer.RedisLogPublisher;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The lifecycle of the one thread that moves records from the {@link LogRecordQueue} to
 * Redis. The thread runs a {@link DeliveryLoop}: it takes up to {@code batchSize}
 * records, or whatever arrived within {@code flushInterval} of the first, and hands them
 * to a {@link BatchDelivery}, which settles each record: published, retried while Redis
 * refuses it for now, or dropped at once when Redis refuses it for good.
 * <p>
 * Nothing a collaborator throws ends the thread; if the JVM's own trouble (running out of
 * memory) does, the {@link WorkerSupervisor} counts the records it held as dropped and
 * starts a new thread, at most once a second. The queue has one consumer at a time: a
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

	// How long stop() waits for the thread after interrupting it at the deadline.
	private static final Duration INTERRUPTED_STOP_WAIT = Duration.ofSeconds(1);

	private final Object lifecycleMonitor = new Object();

	private final LogRecordQueue queue;

	private final DeliveryCounters counters;

	private final OutageReport outageReport;

	private final ShutdownDeadline shutdown = new ShutdownDeadline();

	private final WorkerSupervisor supervisor;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	private volatile @Nullable Thread previousThread;

	public RedisLogWorker(LogRecordQueue queue, LogPayloadWriter payloadWriter, RedisLogPublisher publisher,
			LogChannels channels, DeliveryCounters counters, RedisWriteStatus writeStatus,
			TroubleReporter troubleReporter, int batchSize, Duration flushInterval, Duration shutdownTimeout) {
		Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
		TroubleReporter safeReporter = SafeTroubleReporter.of(troubleReporter);
		BatchDelivery delivery = new BatchDelivery(payloadWriter, publisher, channels, counters, writeStatus,
				safeReporter, this.shutdown);
		DeliveryLoop loop = new DeliveryLoop(queue, delivery, this.shutdown, batchSize, flushInterval);
		this.queue = queue;
		this.counters = counters;
		this.outageReport = new OutageReport(safeReporter);
		this.supervisor = new WorkerSupervisor(loop, delivery, queue, counters, writeStatus, this.outageReport,
				this.shutdown, shutdownTimeout);
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
			this.supervisor.start();
			this.running = true;
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
			worker = this.supervisor.thread();
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
			this.previousThread = this.supervisor.retire();
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
