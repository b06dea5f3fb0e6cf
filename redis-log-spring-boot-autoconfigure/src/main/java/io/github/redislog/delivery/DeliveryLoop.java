package io.github.redislog.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.jspecify.annotations.Nullable;

/**
 * What the worker's thread does: take up to {@code batchSize} records from the
 * {@link LogRecordQueue}, or whatever arrived within {@code flushInterval} of the first,
 * and hand them to the {@link BatchDelivery}, taking the next batch while Redis works on
 * one; once stopping is requested, drain the queue until it is empty or the
 * {@link ShutdownDeadline} passes.
 *
 * @author Redis Log contributors
 */
final class DeliveryLoop {

	private static final Duration IDLE_WAIT = Duration.ofMillis(100);

	private final LogRecordQueue queue;

	private final BatchDelivery delivery;

	private final ShutdownDeadline shutdown;

	private final int batchSize;

	private final Duration flushInterval;

	// Whether the last batch had records: the worker waits for a full batch, not for one record.
	private boolean collecting;

	// An error of the JVM met while taking the next batch: it ends the thread once the
	// batch it was taken beside is settled.
	private @Nullable VirtualMachineError aheadFailure;

	DeliveryLoop(LogRecordQueue queue, BatchDelivery delivery, ShutdownDeadline shutdown, int batchSize,
			Duration flushInterval) {
		this.queue = queue;
		this.delivery = delivery;
		this.shutdown = shutdown;
		this.batchSize = batchSize;
		this.flushInterval = flushInterval;
	}

	/**
	 * Return an empty batch for {@link #run}.
	 * @return a list with room for a batch
	 */
	List<LogRecord> newBatch() {
		return new ArrayList<>(this.batchSize);
	}

	/**
	 * Deliver batches until the work is done, or the thread is no longer the queue's
	 * consumer.
	 * @param batch where records are collected, the batch being delivered first: what it
	 * holds when this returns or throws was not delivered
	 * @param current whether the thread still is the queue's consumer
	 * @return how many records were dropped because the shutdown deadline passed
	 */
	int run(List<LogRecord> batch, BooleanSupplier current) {
		int givenUp = 0;
		this.aheadFailure = null;
		while (current.getAsBoolean() && hasWork(batch)) {
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
				int delivering = batch.size();
				givenUp += this.delivery.deliver(batch, () -> takeAhead(batch, delivering));
				List<LogRecord> delivered = batch.subList(0, delivering);
				this.queue.release(delivered);
				delivered.clear();
				throwAheadFailure();
			}
			this.delivery.reportDroppedRecords();
		}
		return givenUp;
	}

	// Until stopping is requested, then while records are taken or queued and time is left. The
	// queue closes before the last look: a log call that raced with the stop has its
	// record delivered here, or, once the queue is closed, counted as dropped at once.
	private boolean hasWork(List<LogRecord> taken) {
		if (!this.shutdown.isRequested()) {
			return true;
		}
		if (this.shutdown.hasPassed()) {
			return false;
		}
		if (!taken.isEmpty() || this.queue.size() > 0) {
			return true;
		}
		this.queue.close();
		return this.queue.size() > 0;
	}

	// While Redis works on a batch: take what is queued for the next one, up to a batch,
	// and have its payloads written; a whole batch is written to Redis at once, behind the
	// one in hand, a smaller one waits for the replies and for more records.
	// It runs between a batch's commands and their replies: it must not throw.
	private void takeAhead(List<LogRecord> batch, int delivering) {
		try {
			this.queue.drainTo(batch, delivering + this.batchSize - batch.size());
			if (batch.size() - delivering == this.batchSize) {
				this.delivery.sendAhead();
			}
			else {
				this.delivery.writeAhead();
			}
		}
		catch (VirtualMachineError ex) {
			this.aheadFailure = ex;
		}
	}

	private void throwAheadFailure() {
		VirtualMachineError failure = this.aheadFailure;
		if (failure != null) {
			this.aheadFailure = null;
			throw failure;
		}
	}

	// Idle, the worker waits for the first record and is woken by it; then, and as long as
	// records keep coming, it waits for a full batch, woken only by the record that fills it,
	// or wakes itself at the flush interval: the logging threads do not pay for waking it.
	private void collect(List<LogRecord> batch) throws InterruptedException {
		if (!this.collecting && batch.isEmpty()) {
			LogRecord first = this.queue.poll(this.shutdown.isRequested() ? Duration.ZERO : IDLE_WAIT);
			if (first == null) {
				return;
			}
			batch.add(first);
		}
		this.queue.drainTo(batch, this.batchSize - batch.size());
		if (batch.size() < this.batchSize && !this.shutdown.isRequested()) {
			this.queue.awaitRecords(this.batchSize - batch.size(), this.flushInterval);
			this.queue.drainTo(batch, this.batchSize - batch.size());
		}
		this.collecting = !batch.isEmpty();
	}

}
