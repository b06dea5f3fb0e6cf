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
 * <p>
 * While Redis works on a batch, the worker takes the records of the next one and this
 * delivery writes their payloads ({@link RecordPayloads}): the next batch is ready when the
 * replies are in, and goes out only then, so that a context's records stay in order
 * whatever the replies say.
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

	private final RecordPayloads payloads;

	// The worker's records, the first `holding` of which are the batch in hand, and which
	// of those are counted already as published or dropped.
	private List<LogRecord> records = List.of();

	private int holding;

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
		this.payloads = new RecordPayloads(payloadWriter);
	}

	/**
	 * Deliver records, retrying until Redis takes or refuses each one, or the shutdown
	 * deadline passes.
	 * @param records the records, in logging order; the work may add the next batch's
	 * records to the end of the list, which stay there
	 * @param whileRedisWorks work to do while Redis works on the records, such as taking
	 * the next batch; then {@link #writeAhead} writes their payloads
	 * @return how many records were dropped because the deadline passed
	 */
	int deliver(List<LogRecord> records, Runnable whileRedisWorks) {
		this.records = records;
		this.holding = records.size();
		this.accounted.clear();
		this.batch.clear();
		this.payloads.writeNew(records);
		// Notes first, so a viewer sees each gap where it happened; after the payloads, so
		// they include the records that could not be written.
		for (int i = 0; i < this.holding; i++) {
			if (this.payloads.get(i) == null) {
				drop(i, DropReason.SERIALIZATION);
			}
		}
		addNotesAboutDroppedRecords();
		for (int i = 0; i < this.holding; i++) {
			LogPayload payload = this.payloads.get(i);
			if (payload != null) {
				this.batch.add(payload, i);
			}
		}
		int givenUp = settleAll(whileRedisWorks);
		this.payloads.removeFirst(this.holding);
		// Not in a finally block: records of a thread that died holding them are dropped by
		// abandon.
		this.records = List.of();
		this.holding = 0;
		return givenUp;
	}

	/**
	 * Write the payloads of the records added to the end of the list being delivered.
	 * @throws VirtualMachineError if the JVM failed writing one; a record that could not
	 * be written otherwise is dropped with its batch
	 */
	void writeAhead() {
		this.payloads.writeNew(this.records);
	}

	/**
	 * Give up the records in hand, when the thread delivering them died: count those
	 * neither published nor dropped yet as dropped, and forget the payloads written ahead.
	 * @param reason why
	 * @return how many records at the start of the worker's list the delivery held, all
	 * now counted
	 */
	int abandon(DropReason reason) {
		int held = this.holding;
		dropUnaccounted(reason);
		return held;
	}

	private int settleAll(Runnable whileRedisWorks) {
		Duration pause = FIRST_RETRY_PAUSE;
		while (!this.batch.entries().isEmpty()) {
			if (attempt(whileRedisWorks)) {
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

	// Counts every record in hand that is neither published nor dropped yet as dropped.
	private int dropUnaccounted(DropReason reason) {
		int dropped = 0;
		for (int i = this.accounted.nextClearBit(0); i < this.holding; i = this.accounted.nextClearBit(i + 1)) {
			drop(i, reason);
			dropped++;
		}
		this.batch.clear();
		this.payloads.clear();
		this.records = List.of();
		this.holding = 0;
		return dropped;
	}

	// Returns whether anything got through.
	private boolean attempt(Runnable whileRedisWorks) {
		long started = System.nanoTime();
		Throwable failure = null;
		try {
			this.publisher.publish(this.batch, whileRedisWorks);
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
