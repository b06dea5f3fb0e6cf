package io.github.redislog.capture;

import java.util.List;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.support.Failures;
import io.github.redislog.support.UnpublishedThread;

import org.jspecify.annotations.Nullable;

/**
 * What the appender of every logging backend does with an event on the logging thread:
 * skip the starter's own and the Redis client's records, account for the others, capture
 * them and offer them to the {@link LogRecordQueue}. It does no I/O, never blocks and never
 * throws into the caller; while the queue is full, an event is counted as dropped without
 * being captured.
 *
 * @author Redis Log contributors
 */
public final class LogEventIntake {

	/**
	 * Loggers whose records are never published: the Redis client's and the starter's own.
	 * Publishing them would feed the appender with its own traffic.
	 */
	public static final List<String> EXCLUDED_LOGGERS = List.of("io.lettuce", "io.netty",
			"org.springframework.data.redis", "reactor", "io.github.redislog.autoconfigure",
			"io.github.redislog.capture", "io.github.redislog.delivery", "io.github.redislog.writer",
			"io.github.redislog.wire", "io.github.redislog.support", "io.github.redislog.logback",
			"io.github.redislog.log4j2", "io.github.redislog.servlet", "io.github.redislog.web");

	private final ExcludedLoggers excludedLoggers = new ExcludedLoggers(EXCLUDED_LOGGERS);

	private final LogRecordQueue queue;

	private final DeliveryCounters counters;

	public LogEventIntake(LogRecordQueue queue, DeliveryCounters counters) {
		this.queue = queue;
		this.counters = counters;
	}

	/**
	 * Take an event of the logging backend, unless it is one that is never published.
	 * @param <E> the backend's event type
	 * @param event the event
	 * @param capture how to read and capture the backend's events
	 */
	public <E> void take(E event, EventCapture<E> capture) {
		if (UnpublishedThread.isCurrent() || this.excludedLoggers.isExcluded(capture.loggerName(event))) {
			return;
		}
		this.counters.offered();
		if (this.queue.isFull()) {
			// Dropped now rather than after the capture, which would cost the logging
			// thread several times as much while the worker cannot keep up.
			this.counters.dropped()
				.add(DropReason.QUEUE_FULL, capture.contextId(event), 1, capture.timeMillis(event));
			return;
		}
		try {
			this.queue.offer(capture.capture(event));
		}
		catch (Throwable ex) {
			// Counted, and kept from the caller: only the JVM's own trouble goes on.
			dropUncaptured(event, capture);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

	// In the event's context, whose stream then notes the gap, as for a full queue.
	private <E> void dropUncaptured(E event, EventCapture<E> capture) {
		try {
			this.counters.dropped()
				.add(DropReason.SERIALIZATION, capture.contextId(event), 1, capture.timeMillis(event));
		}
		catch (Throwable ex) {
			// An event that cannot even tell its context: its gap goes to the global stream.
			// Nothing but the JVM's own trouble reaches the caller, as for the capture.
			Failures.rethrowIfFatal(ex);
			this.counters.dropped().add(DropReason.SERIALIZATION, null, 1);
		}
	}

	/**
	 * Reads and captures the events of one logging backend.
	 *
	 * @param <E> the backend's event type
	 */
	public interface EventCapture<E> {

		/**
		 * Return the name of the logger that created an event.
		 * @param event the event
		 * @return the logger name
		 */
		String loggerName(E event);

		/**
		 * Return the log context an event was created in, read without capturing it.
		 * @param event the event
		 * @return the context id, or {@code null}
		 */
		@Nullable String contextId(E event);

		/**
		 * Return when an event was created.
		 * @param event the event
		 * @return epoch milliseconds
		 */
		long timeMillis(E event);

		/**
		 * Capture an event as a record that nothing the caller does later can change.
		 * @param event the event
		 * @return the record
		 */
		LogRecord capture(E event);

	}

}
