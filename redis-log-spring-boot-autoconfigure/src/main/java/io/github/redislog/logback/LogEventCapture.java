package io.github.redislog.logback;

import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.pattern.parser.CompositeNode;
import ch.qos.logback.core.pattern.parser.Node;
import ch.qos.logback.core.pattern.parser.Parser;
import ch.qos.logback.core.pattern.parser.SimpleKeywordNode;
import ch.qos.logback.core.spi.ScanException;
import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecord.ExceptionInfo;
import org.jspecify.annotations.Nullable;

/**
 * Captures a Logback event as a {@link LogRecord} on the logging thread, so that nothing the
 * worker reads later can change under it. The logging thread pays only for what depends on
 * it: the message with its arguments, the thread name, the MDC (Logback's own is an
 * immutable snapshot, kept as it is) and, when the pattern prints it, the caller's location.
 * The pattern layout, truncation included, runs when the worker asks for the message, on
 * a {@link LoggingEventSnapshot}: the record keeps the event's strings, not the objects its
 * message was formatted from.
 * <p>
 * An event with an exception, or with a message longer than the maximum, is laid out at
 * once instead: kept for the worker, it would hold the exception's stack or the whole
 * message, where the record needs only their truncated text.
 *
 * @author Redis Log contributors
 */
final class LogEventCapture {

	// The event, the record and the headers of their strings, maps and arrays.
	private static final long RECORD_OVERHEAD_BYTES = 384;

	// Logback's conversion words whose converters read the caller's stack: on the worker
	// they would read the worker's.
	private static final Set<String> CALLER_DATA_WORDS = Set.of("C", "class", "F", "file", "L", "line", "M",
			"method", "caller");

	private final PatternLayout layout;

	private final int maxMessageLength;

	private final boolean callerData;

	LogEventCapture(PatternLayout layout, int maxMessageLength) {
		this.layout = layout;
		this.maxMessageLength = maxMessageLength;
		this.callerData = readsCallerData(layout.getPattern());
	}

	LogRecord capture(ILoggingEvent event) {
		event.prepareForDeferredProcessing();
		String formattedMessage = event.getFormattedMessage();
		IThrowableProxy throwable = event.getThrowableProxy();
		Map<String, String> mdc = event.getMDCPropertyMap();
		long chars = mdcLength(mdc);
		Supplier<String> message;
		if (throwable != null || length(formattedMessage) > this.maxMessageLength) {
			String laidOut = layOut(event);
			message = () -> laidOut;
			chars += laidOut.length();
		}
		else {
			LoggingEventSnapshot snapshot = new LoggingEventSnapshot(event, this.callerData);
			message = () -> layOut(snapshot);
			chars += length(formattedMessage);
		}
		ExceptionInfo exception = exception(throwable);
		if (exception != null) {
			chars += length(exception.message()) + exception.stackTrace().length();
		}
		return new LogRecord(message, event.getLevel().toString(), event.getInstant(), event.getLoggerName(),
				event.getThreadName(), mdc.get(RedisLogContext.MDC_KEY), mdc.get(RedisLogContext.OWNER_MDC_KEY), mdc,
				exception, RECORD_OVERHEAD_BYTES + 2 * chars);
	}

	private String layOut(ILoggingEvent event) {
		try {
			return truncate(stripTrailingLineBreaks(this.layout.doLayout(event)));
		}
		catch (Error ex) {
			// On the worker thread an error would end delivery for good: make it a failure
			// of this record only, which the worker counts as a serialization drop. Only
			// the JVM's own trouble (out of memory, internal errors) is left alone.
			if (ex instanceof VirtualMachineError && !(ex instanceof StackOverflowError)) {
				throw ex;
			}
			throw new IllegalStateException("Cannot lay out the log record", ex);
		}
	}

	private @Nullable ExceptionInfo exception(@Nullable IThrowableProxy throwable) {
		if (throwable == null) {
			return null;
		}
		String message = throwable.getMessage();
		return new ExceptionInfo(throwable.getClassName(), (message != null) ? truncate(message) : null,
				truncate(ThrowableProxyUtil.asString(throwable)));
	}

	private String truncate(String text) {
		if (text.length() <= this.maxMessageLength) {
			return text;
		}
		int end = this.maxMessageLength;
		if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
			end--;
		}
		return text.substring(0, end) + "... [truncated " + (text.length() - end) + " characters]";
	}

	private static String stripTrailingLineBreaks(String text) {
		int end = text.length();
		while (end > 0 && (text.charAt(end - 1) == '\n' || text.charAt(end - 1) == '\r')) {
			end--;
		}
		return text.substring(0, end);
	}

	// Logback's MDC is shared by the events logged while it does not change: counted for
	// each record, it is overestimated, never under.
	private static long mdcLength(Map<String, String> mdc) {
		long chars = 0;
		for (Map.Entry<String, String> entry : mdc.entrySet()) {
			chars += entry.getKey().length() + length(entry.getValue());
		}
		return chars;
	}

	private static int length(@Nullable String text) {
		return (text != null) ? text.length() : 0;
	}

	private static boolean readsCallerData(String pattern) {
		try {
			return readsCallerData(new Parser<>(pattern).parse());
		}
		catch (ScanException ex) {
			// The layout has started, so its pattern parses: this is not expected.
			return true;
		}
	}

	private static boolean readsCallerData(@Nullable Node node) {
		for (Node current = node; current != null; current = current.getNext()) {
			if (current instanceof SimpleKeywordNode && CALLER_DATA_WORDS.contains(current.getValue())) {
				return true;
			}
			if (current instanceof CompositeNode composite && readsCallerData(composite.getChildNode())) {
				return true;
			}
		}
		return false;
	}

}
