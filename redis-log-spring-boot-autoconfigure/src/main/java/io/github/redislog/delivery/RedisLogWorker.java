package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.util.Assert;

/**
 * The one thread that moves records from the {@link LogRecordQueue} to Redis. It takes up
 * to {@code batchSize} records, or whatever arrived within {@code flushInterval} of the
 * first, turns them into payloads and hands them to the {@link RedisLogPublisher} as one
 * batch. A failed batch is kept and retried with a growing pause, so an outage costs
 * queue space, not records, until the queue's bounds are reached. Each batch also carries
 * a note about the records dropped since the previous one into the affected streams, so a
 * viewer sees the gap.
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
	 * task executors and schedulers.
	 */
	public static final int PHASE = 1024;

	private static final Duration IDLE_WAIT = Duration.ofMillis(100);

	private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(50);

	private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(1);

	private static final String NOTE_LOGGER = "io.github.redislog";

	private final LogRecordQueue queue;

	private final LogPayloadWriter payloadWriter;

	private final RedisLogPublisher publisher;

	private final DeliveryCounters counters;

	private final RedisWriteStatus writeStatus;

	private final OutageReport outageReport;

	private final int batchSize;

	private final Duration flushInterval;

	private final Duration shutdownTimeout;

	private volatile boolean running;

	private volatile boolean stopping;

	private volatile long stopDeadline;

	private @Nullable Thread thread;

	public RedisLogWorker(LogRecordQueue queue, LogPayloadWriter payloadWriter, RedisLogPublisher publisher,
			DeliveryCounters counters, RedisWriteStatus writeStatus, TroubleReporter troubleReporter, int batchSize,
			Duration flushInterval, Duration shutdownTimeout) {
		Assert.isTrue(batchSize > 0, "'batchSize' must be positive");
		this.queue = queue;
		this.payloadWriter = payloadWriter;
		this.publisher = publisher;
		this.counters = counters;
		this.writeStatus = writeStatus;
		this.outageReport = new OutageReport(troubleReporter);
		this.batchSize = batchSize;
		this.flushInterval = flushInterval;
		this.shutdownTimeout = shutdownTimeout;
	}

	@Override
	public void start() {
		if (this.running) {
			return;
		}
		this.stopping = false;
		this.running = true;
		Thread worker = new UnpublishedThread(this::run, "redis-log-worker");
		this.thread = worker;
		worker.start();
	}

	@Override
	public void stop() {
		Thread worker = this.thread;
		if (!this.running || worker == null) {
			return;
		}
		this.stopDeadline = System.nanoTime() + this.shutdownTimeout.toNanos();
		this.stopping = true;
		try {
			worker.join(this.shutdownTimeout.toMillis() + 100);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (worker.isAlive()) {
			int queued = dropQueued();
			this.outageReport.shutdownTimedOut(this.shutdownTimeout, queued);
		}
		this.running = false;
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

	private void run() {
		List<LogRecord> batch = new ArrayList<>(this.batchSize);
		while (!this.stopping || (this.queue.size() > 0 && !pastStopDeadline())) {
			try {
				collect(batch);
			}
			catch (InterruptedException ex) {
				// Nobody but the JVM interrupts this thread: give up what is queued.
				break;
			}
			if (!batch.isEmpty()) {
				deliver(batch);
				this.queue.release(batch);
				batch.clear();
			}
		}
		dropQueued();
	}

	private void collect(List<LogRecord> batch) throws InterruptedException {
		LogRecord first = this.queue.poll(this.stopping ? Duration.ZERO : IDLE_WAIT);
		if (first == null) {
			return;
		}
		batch.add(first);
		this.queue.drainTo(batch, this.batchSize - 1);
		long lingerUntil = System.nanoTime() + this.flushInterval.toNanos();
		while (batch.size() < this.batchSize && !this.stopping) {
			long remaining = lingerUntil - System.nanoTime();
			LogRecord next = (remaining > 0) ? this.queue.poll(Duration.ofNanos(remaining)) : null;
			if (next == null) {
				return;
			}
			batch.add(next);
			this.queue.drainTo(batch, this.batchSize - batch.size());
		}
	}

	private void deliver(List<LogRecord> batch) {
		List<LogPayload> records = serialize(batch);
		// Notes about earlier drops go first, so a viewer sees each gap where it happened.
		List<LogPayload> payloads = notesAboutDroppedRecords();
		payloads.addAll(records);
		Duration pause = FIRST_RETRY_PAUSE;
		while (!payloads.isEmpty()) {
			long started = System.nanoTime();
			try {
				this.publisher.publish(payloads);
				this.counters.published(records.size());
				this.writeStatus.succeeded(Duration.ofNanos(System.nanoTime() - started));
				this.outageReport.succeeded();
				return;
			}
			catch (RuntimeException ex) {
				this.writeStatus.failed(ex);
				this.outageReport.failed(ex, records.size() + this.queue.size());
				if (this.stopping && pastStopDeadline()) {
					records.forEach((record) -> drop(DropReason.REDIS_UNAVAILABLE, record.contextId()));
					return;
				}
				pause(pause);
				pause = (pause.compareTo(MAX_RETRY_PAUSE) < 0) ? pause.multipliedBy(2) : MAX_RETRY_PAUSE;
			}
		}
	}

	private List<LogPayload> serialize(List<LogRecord> batch) {
		List<LogPayload> payloads = new ArrayList<>(batch.size());
		for (LogRecord record : batch) {
			try {
				payloads.add(new LogPayload(record.contextId(), record.ownerId(), this.payloadWriter.write(record)));
			}
			catch (RuntimeException ex) {
				drop(DropReason.SERIALIZATION, record.contextId());
			}
		}
		return payloads;
	}

	private List<LogPayload> notesAboutDroppedRecords() {
		List<LogPayload> notes = new ArrayList<>();
		for (DroppedGap gap : this.counters.dropped().takeGaps()) {
			LogRecord note = new LogRecord(gap.describe(), "WARN", Instant.now(), NOTE_LOGGER,
					Thread.currentThread().getName(), gap.contextId(), null, Map.of(), null, 0);
			notes.add(new LogPayload(gap.contextId(), null, this.payloadWriter.write(note)));
		}
		return notes;
	}

	private void pause(Duration pause) {
		long nanos = pause.toNanos();
		if (this.stopping) {
			nanos = Math.min(nanos, this.stopDeadline - System.nanoTime());
		}
		try {
			TimeUnit.NANOSECONDS.sleep(Math.max(nanos, 0));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private boolean pastStopDeadline() {
		return System.nanoTime() - this.stopDeadline >= 0;
	}

	private int dropQueued() {
		List<LogRecord> left = new ArrayList<>();
		this.queue.drainTo(left, Integer.MAX_VALUE);
		left.forEach((record) -> drop(DropReason.SHUTDOWN, record.contextId()));
		this.queue.release(left);
		return left.size();
	}

	private void drop(DropReason reason, @Nullable String contextId) {
		this.counters.dropped().add(reason, contextId, 1);
	}

}
