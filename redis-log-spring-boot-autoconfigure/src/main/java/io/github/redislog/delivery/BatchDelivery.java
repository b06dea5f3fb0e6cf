package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.redislog.support.Failures;
import io.github.redislog.support.TroubleReporter;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.writer.AttemptOutcome;
import io.github.redislog.writer.BatchEntry;
import io.github.redislog.writer.LogBatch;
import io.github.redislog.writer.LogPayload;
import io.github.redislog.writer.RedisLogPublisher;

import org.jspecify.annotations.Nullable;

/**
 * Delivers the worker's batches: turns records into payloads, hands them to the
 * {@link RedisLogPublisher} with notes about earlier drops first, and settles every record
 * after each attempt. What Redis accepted is counted as published; what it refused for
 * good is dropped as {@link DropReason#REJECTED rejected}, and what the publisher kept
 * leaving without a reply as {@link DropReason#NO_REPLY no_reply}; an owner or expiry
 * refused for good costs no record and is counted on its own. The rest is tried again
 * with a growing pause, until the shutdown deadline. Every record of a batch is counted exactly
 * once, also when the worker thread dies holding it; what each attempt means for health
 * and the reports is told to the {@link AttemptReports}.
 *
 * @author Redis Log contributors
 */
final class BatchDelivery {

	private static final Duration FIRST_RETRY_PAUSE = Duration.ofMillis(50);

	private static final Duration MAX_RETRY_PAUSE = Duration.ofSeconds(1);

	private final LogPayloadWriter payloadWriter;

	private final RedisLogPublisher publisher;

	private final DeliveryCounters counters;

	private final AttemptReports reports;

	private final TroubleReporter troubleReporter;

	private final ShutdownDeadline shutdown;

	private final LogBatch batch;

	// The records in hand, and which of them are counted already as published or dropped.
	private List<LogRecord> records = List.of();

	private final BitSet accounted = new BitSet();

	BatchDelivery(LogPayloadWriter payloadWriter, RedisLogPublisher publisher, LogChannels channels,
			DeliveryCounters counters, RedisWriteStatus writeStatus, TroubleReporter troubleReporter,
			ShutdownDeadline shutdown) {
		this.payloadWriter = payloadWriter;
		this.publisher = publisher;
		this.counters = counters;
		this.reports = new AttemptReports(writeStatus, troubleReporter);
		this.troubleReporter = troubleReporter;
		this.shutdown = shutdown;
		this.batch = new LogBatch(channels);
	}

	/**
	 * Deliver records, retrying until Redis takes or refuses each one, or the shutdown
	 * deadline passes.
	 * @param records the records, in logging order
	 * @return how many records were dropped because the deadline passed
	 */
	int deliver(List<LogRecord> records) {
		this.records = records;
		this.accounted.clear();
		this.batch.clear();
		List<@Nullable LogPayload> payloads = serialize();
		// Notes first, so a viewer sees each gap where it happened; after serializing, so
		// they include the records that could not be.
		addNotesAboutDroppedRecords();
		for (int i = 0; i < payloads.size(); i++) {
			if (payloads.get(i) != null) {
				this.batch.add(payloads.get(i), i);
			}
		}
		int givenUp = settleAll();
		// Not in a finally block: records of a thread that died holding them are dropped by
		// dropUnaccounted.
		this.records = List.of();
		return givenUp;
	}

	/**
	 * Return whether records of a {@link #deliver} call are in hand: only if the thread
	 * died while delivering them.
	 * @return whether there are records to account for
	 */
	boolean isHolding() {
		return !this.records.isEmpty();
	}

	private int settleAll() {
		Duration pause = FIRST_RETRY_PAUSE;
		while (!this.batch.entries().isEmpty()) {
			if (attempt()) {
				pause = FIRST_RETRY_PAUSE;
			}
			if (this.batch.entries().isEmpty()) {
				return 0;
			}
			if (this.shutdown.hasPassed()) {
				return dropUnaccounted(DropReason.REDIS_UNAVAILABLE);
			}
			pause(this.shutdown.limit(pause));
			pause = (pause.compareTo(MAX_RETRY_PAUSE) < 0) ? pause.multipliedBy(2) : MAX_RETRY_PAUSE;
		}
		return 0;
	}

	/**
	 * Count every record in hand that is neither published nor dropped yet as dropped.
	 * @param reason why
	 * @return how many records were dropped
	 */
	int dropUnaccounted(DropReason reason) {
		int dropped = 0;
		for (int i = this.accounted.nextClearBit(0); i < this.records.size(); i = this.accounted.nextClearBit(i + 1)) {
			drop(i, reason);
			dropped++;
		}
		this.batch.clear();
		this.records = List.of();
		return dropped;
	}

	// Returns whether anything got through.
	private boolean attempt() {
		long started = System.nanoTime();
		Throwable failure = null;
		try {
			this.publisher.publish(this.batch);
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			failure = ex;
		}
		AttemptOutcome settlement = this.batch.settle(failure);
		int published = 0;
		for (BatchEntry entry : settlement.delivered()) {
			if (entry.record() >= 0) {
				this.accounted.set(entry.record());
				published++;
			}
		}
		this.counters.published(published);
		for (BatchEntry entry : settlement.rejected()) {
			if (entry.record() >= 0) {
				drop(entry.record(), DropReason.of(entry));
			}
		}
		this.reports.attempted(settlement, failure, Duration.ofNanos(System.nanoTime() - started),
				this.batch.entries().size());
		return !settlement.delivered().isEmpty();
	}

	private void addNotesAboutDroppedRecords() {
		for (DroppedGap gap : this.counters.dropped().takeGaps()) {
			LogRecord note = new LogRecord(gap.describe(), "WARN", Instant.now(), DroppedGap.NOTE_LOGGER,
					Thread.currentThread().getName(), gap.contextId(), null, Map.of(), null, 0);
			try {
				this.batch.add(new LogPayload(gap.noteContextId(), null, this.payloadWriter.write(note)), -1);
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
				this.troubleReporter.warn("Could not write the note '" + gap.describe() + "'", ex);
			}
		}
	}

	// The payload of each record, or null for one that could not be written.
	private List<@Nullable LogPayload> serialize() {
		List<@Nullable LogPayload> payloads = new ArrayList<>(this.records.size());
		for (int i = 0; i < this.records.size(); i++) {
			LogRecord record = this.records.get(i);
			try {
				payloads.add(new LogPayload(record.contextId(), record.ownerId(), this.payloadWriter.write(record)));
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
				payloads.add(null);
				drop(i, DropReason.SERIALIZATION);
			}
		}
		return payloads;
	}

	private void drop(int record, DropReason reason) {
		this.accounted.set(record);
		this.counters.dropped().add(reason, this.records.get(record).contextId(), 1);
	}

	private void pause(Duration pause) {
		try {
			TimeUnit.NANOSECONDS.sleep(pause.toNanos());
		}
		catch (InterruptedException ex) {
			// stop() interrupts at the deadline: keep the flag, so that the next write gives
			// up at once; any other interruption must not turn the retries into a busy loop.
			if (this.shutdown.isRequested()) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
