package io.github.redislog.log4j2;

import io.github.redislog.capture.LogEventIntake;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.LogRecordQueue;

import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;

/**
 * Where the Log4j2 events of one application context go: captured with its layout and
 * handed to its {@link LogEventIntake}.
 *
 * @author Redis Log contributors
 */
public final class Log4j2EventSink {

	private final Log4j2EventCapture capture;

	private final LogEventIntake intake;

	/**
	 * Create a sink.
	 * @param layout the layout that formats the {@code message} field: a pattern, or a
	 * structured format that makes the whole payload
	 * @param maxMessageLength the longest message and stack trace kept, in characters
	 * @param queue the queue to offer records to
	 * @param counters where each record is accounted for
	 */
	public Log4j2EventSink(Layout<String> layout, int maxMessageLength, LogRecordQueue queue,
			DeliveryCounters counters) {
		this.capture = new Log4j2EventCapture(layout, maxMessageLength);
		this.intake = new LogEventIntake(queue, counters);
	}

	void take(LogEvent event) {
		this.intake.take(event, this.capture);
	}

}
