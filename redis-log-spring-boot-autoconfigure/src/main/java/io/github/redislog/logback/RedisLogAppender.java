package io.github.redislog.logback;

import java.util.List;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.util.ReentryGuard;
import ch.qos.logback.core.util.ReentryGuardFactory;
import ch.qos.logback.core.util.ReentryGuardFactory.GuardType;
import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.UnpublishedThread;

/**
 * Logback appender that captures each event and offers it to the {@link LogRecordQueue}.
 * It does no I/O, never blocks and never throws into the caller; while the queue is full,
 * it counts each event as dropped without capturing it. Records of the Redis client, of
 * the starter itself and of its own threads (an {@link UnpublishedThread}) are skipped:
 * publishing them would feed the appender with its own traffic.
 *
 * @author Redis Log contributors
 */
public final class RedisLogAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

	/**
	 * Loggers whose records are never published: the Redis client's and the starter's own.
	 */
	public static final List<String> EXCLUDED_LOGGERS = List.of("io.lettuce", "io.netty",
			"org.springframework.data.redis", "reactor", "io.github.redislog.autoconfigure",
			"io.github.redislog.delivery", "io.github.redislog.logback", "io.github.redislog.servlet",
			"io.github.redislog.web");

	private final ExcludedLoggers excludedLoggers = new ExcludedLoggers(EXCLUDED_LOGGERS);

	private final LogEventCapture capture;

	private final LogRecordQueue queue;

	private final DeliveryCounters counters;

	/**
	 * Create an appender.
	 * @param layout the started layout that formats the {@code message} field
	 * @param maxMessageLength the longest message and stack trace kept, in characters
	 * @param queue the queue to offer records to
	 * @param counters where each record is accounted for
	 */
	public RedisLogAppender(PatternLayout layout, int maxMessageLength, LogRecordQueue queue,
			DeliveryCounters counters) {
		this.capture = new LogEventCapture(layout, maxMessageLength);
		this.queue = queue;
		this.counters = counters;
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
		if (UnpublishedThread.isCurrent() || this.excludedLoggers.isExcluded(event.getLoggerName())) {
			return;
		}
		this.counters.offered();
		if (this.queue.isFull()) {
			// Dropped now rather than after the capture, which would cost the logging
			// thread several times as much while the worker cannot keep up.
			this.counters.dropped()
				.add(DropReason.QUEUE_FULL, event.getMDCPropertyMap().get(RedisLogContext.MDC_KEY), 1,
						event.getTimeStamp());
			return;
		}
		try {
			this.queue.offer(this.capture.capture(event));
		}
		catch (Throwable ex) {
			// Counted, and kept from the caller: only the JVM's own trouble goes on.
			this.counters.dropped().add(DropReason.SERIALIZATION, null, 1);
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
		}
	}

}
