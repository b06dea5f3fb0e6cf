package io.github.redislog.logback;

import io.github.redislog.capture.LogEventIntake;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.LogRecordQueue;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.util.ReentryGuard;
import ch.qos.logback.core.util.ReentryGuardFactory;
import ch.qos.logback.core.util.ReentryGuardFactory.GuardType;

/**
 * Logback appender that hands each event to the {@link LogEventIntake}, which captures it
 * and offers it to the {@link LogRecordQueue} without I/O, blocking or throwing into the
 * caller.
 *
 * @author Redis Log contributors
 */
public final class RedisLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

	private final LogEventCapture capture;

	private final LogEventIntake intake;

	/**
	 * Create an appender.
	 * @param layout the started layout that formats the {@code message} field: a pattern,
	 * or a structured format that makes the whole payload
	 * @param maxMessageLength the longest message and stack trace kept, in characters
	 * @param queue the queue to offer records to
	 * @param counters where each record is accounted for
	 */
	public RedisLogAppender(Layout<ILoggingEvent> layout, int maxMessageLength, LogRecordQueue queue,
			DeliveryCounters counters) {
		this.capture = new LogEventCapture(layout, maxMessageLength);
		this.intake = new LogEventIntake(queue, counters);
		setName("REDIS_LOG");
	}

	// Logback 1.5.21+ no longer guards against re-entry by default: a toString() that
	// logs would recurse through this appender. Its nested record still reaches the others.
	@Override
	protected ReentryGuard buildReentryGuard() {
		return ReentryGuardFactory.makeGuard(GuardType.THREAD_LOCAL);
	}

	@Override
	protected void append(ILoggingEvent event) {
		this.intake.take(event, this.capture);
	}

}
