package io.github.redislog.delivery;

import java.util.ArrayList;
import java.util.List;

import io.github.redislog.support.Failures;
import io.github.redislog.writer.LogPayload;

import org.jspecify.annotations.Nullable;

/**
 * The payloads of the records in the worker's hands, in the same order: those of the
 * batch being delivered first, then those of the next one, written while Redis works on
 * the batch before. Each record is written once, however often its batch is sent.
 *
 * @author Redis Log contributors
 */
final class RecordPayloads {

	private final LogPayloadWriter writer;

	private final List<@Nullable LogPayload> payloads = new ArrayList<>();

	RecordPayloads(LogPayloadWriter writer) {
		this.writer = writer;
	}

	/**
	 * Write the payload of each record that has none yet: those added to the end of the
	 * list since the last call.
	 * @param records the records in hand, as {@link #get} numbers them
	 */
	void writeNew(List<LogRecord> records) {
		for (int i = this.payloads.size(); i < records.size(); i++) {
			this.payloads.add(writeOrNull(records.get(i)));
		}
	}

	/**
	 * Return the payload of a record.
	 * @param record the record's number in the list last {@link #writeNew written}
	 * @return its payload, or {@code null} if it could not be written
	 */
	@Nullable LogPayload get(int record) {
		return this.payloads.get(record);
	}

	/**
	 * Forget the payloads of the first records, which left the worker's hands.
	 * @param records how many
	 */
	void removeFirst(int records) {
		this.payloads.subList(0, records).clear();
	}

	/**
	 * Forget every payload: the records they belong to are dropped.
	 */
	void clear() {
		this.payloads.clear();
	}

	// The record that cannot be written is dropped when its batch is delivered.
	private @Nullable LogPayload writeOrNull(LogRecord record) {
		try {
			return new LogPayload(record.contextId(), record.ownerId(), this.writer.write(record));
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			return null;
		}
	}

}
