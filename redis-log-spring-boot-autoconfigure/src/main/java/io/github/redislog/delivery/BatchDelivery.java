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
 * delivery writes their payloads ({@link RecordPayloads}); a whole next batch is also
 * written to Redis at once, behind the one in hand ({@link RedisLogPublisher#writeAhead}),
 * so that Redis does not wait for the worker to read replies and write again. A record
 * Redis refused for now goes again after the records written behind it: a context's
 * records stay in order unless Redis refuses one for now and takes a later one.
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

	// The batch in hand, and the next one when it was built while Redis worked on that.
	private LogBatch batch;

	private LogBatch next;

	private int nextRecords;

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
		this.next = new LogBatch(channels);
		this.payloads = new RecordPayloads(payloadWriter);
	}

	/**
	 * Deliver records, retrying until Redis takes or refuses each one, or the shutdown
	 * deadline passes.
	 * @param records the records, in logging order; the work may add the next batch's
	 * records to the end of the list, which stay there
	 * @param whileRedisWorks work to do while Redis works on the records, such as taking
	 * the next batch; then {@link #writeAhead} or {@link #sendAhead} writes their payloads
	 * @return how many records were dropped because the deadline passed
	 */
	int deliver(List<LogRecord> records, Runnable whileRedisWorks) {
		this.records = records;
		this.holding = records.size();
		this.accounted.clear();
		if (this.nextRecords > 0 && this.nextRecords == this.holding) {
			LogBatch built = this.next;
			this.next = this.batch;
			this.batch = built;
		}
		else {
			this.payloads.writeNew(records);
			// Notes first, so a viewer sees each gap where it happened; after the payloads, so
			// they include the records that could not be written.
			for (int i = 0; i < this.holding; i++) {
				if (this.payloads.get(i) == null) {
					drop(i, DropReason.SERIALIZATION);
				}
			}
			build(this.batch, 0, this.holding);
		}
		this.next.clear();
		this.nextRecords = 0;
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
	 * Write the payloads of the records added to the end of the list being delivered, a
	 * whole batch, and have the publisher {@link RedisLogPublisher#writeAhead write them
	 * ahead}, so that Redis has them as soon as it is done with the batch in hand. A record
	 * that could not be written leaves the batch to go out after the replies.
	 * @throws VirtualMachineError if the JVM failed writing one
	 */
	void sendAhead() {
		writeAhead();
		if (this.nextRecords > 0) {
			return;
		}
		for (int i = this.holding; i < this.records.size(); i++) {
			if (this.payloads.get(i) == null) {
				return;
			}
		}
		build(this.next, this.holding, this.records.size());
		this.nextRecords = this.records.size() - this.holding;
		try {
			this.publisher.writeAhead(this.next);
		}
		catch (RuntimeException ex) {
			// A publisher of the application's that broke its contract: the batch goes out
			// when it is published.
		}
	}

	/**
	 * Give up the records in hand, when the thread delivering them died: count those
	 * neither published nor dropped yet as dropped, and forget the payloads and the batch
	 * written ahead.
	 * @param reason why
	 * @return how many records at the start of the worker's list the delivery held, all
	 * now counted
	 */
	int abandon(DropReason reason) {
		int held = this.holding;
		dropUnaccounted(reason);
		return held;
	}

	/**
	 * Report the records dropped since the last report, if a drop made a report due: the
	 * logging threads that drop records leave it to the worker.
	 */
	void reportDroppedRecords() {
		this.counters.dropped().reportIfDue();
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
			// An outage fills the queue: its drops are reported while it lasts.
			reportDroppedRecords();
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
		this.next.clear();
		this.nextRecords = 0;
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

	// Fills a batch with the payloads of the records from first to end, numbered from first.
	private void build(LogBatch target, int first, int end) {
		target.clear();
		addNotesAboutDroppedRecords(target);
		for (int i = first; i < end; i++) {
			LogPayload payload = this.payloads.get(i);
			if (payload != null) {
				target.add(payload, i - first);
			}
		}
	}

	private void addNotesAboutDroppedRecords(LogBatch target) {
		for (DroppedGap gap : this.counters.dropped().takeGaps()) {
			LogRecord note = new LogRecord(gap.describe(), "WARN", Instant.now(), DroppedGap.NOTE_LOGGER,
					Thread.currentThread().getName(), gap.contextId(), null, Map.of(), null, 0);
			try {
				target.add(new LogPayload(gap.noteContextId(), null, this.payloadWriter.write(note)), -1);
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
