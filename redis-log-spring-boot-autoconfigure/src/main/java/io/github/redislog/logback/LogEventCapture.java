package io.github.redislog.logback;

import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.redislog.RedisLogContext;
import io.github.redislog.capture.LogEventIntake.EventCapture;
import io.github.redislog.capture.MdcLength;
import io.github.redislog.capture.MessageText;
import io.github.redislog.delivery.LogMessage;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecord.ExceptionInfo;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.pattern.parser.CompositeNode;
import ch.qos.logback.core.pattern.parser.Node;
import ch.qos.logback.core.pattern.parser.Parser;
import ch.qos.logback.core.pattern.parser.SimpleKeywordNode;
import ch.qos.logback.core.spi.ScanException;
import org.jspecify.annotations.Nullable;
import org.slf4j.event.KeyValuePair;

/**
 * Captures a Logback event as a {@link LogRecord} on the logging thread, so that nothing the
 * worker reads later can change under it. The logging thread pays only for what depends on
 * it: the message with its arguments, the thread name, the MDC (Logback's own is an
 * immutable snapshot, kept as it is), the key-value pairs (frozen: see
 * {@link FrozenKeyValues}) and, when the pattern prints it, the caller's location.
 * The layout (a pattern, or a structured format), truncation included, runs when the worker
 * asks for the message: the record holds a {@link LoggingEventSnapshot}, the event's
 * strings and not the objects its message was formatted from, which is also the record's
 * {@link LogMessage.Deferred deferred message}, with this capture as its layout.
 * <p>
 * An event with an exception is laid out at once instead: kept for the worker, it would
 * hold the exception's stack. So is an event whose message is longer than the maximum when
 * a pattern lays it out (the record keeps the truncated line); a structured format lays out
 * the truncated message later, since cutting the JSON document would break it.
 *
 * @author Redis Log contributors
 */
final class LogEventCapture implements EventCapture<ILoggingEvent>, LogMessage.Layout<ILoggingEvent> {

	// Logback's conversion words whose converters read the caller's stack: on the worker
	// they would read the worker's.
	private static final Set<String> CALLER_DATA_WORDS = Set.of("C", "class", "F", "file", "L", "line", "M",
			"method", "caller");

	private final Layout<ILoggingEvent> layout;

	private final MessageText text;

	private final boolean structured;

	private final boolean callerData;

	LogEventCapture(Layout<ILoggingEvent> layout, int maxMessageLength) {
		this.layout = layout;
		this.text = new MessageText(maxMessageLength);
		this.structured = !(layout instanceof PatternLayout);
		this.callerData = (layout instanceof PatternLayout patternLayout) && readsCallerData(patternLayout.getPattern());
	}

	@Override
	public String loggerName(ILoggingEvent event) {
		return event.getLoggerName();
	}

	@Override
	public @Nullable String contextId(ILoggingEvent event) {
		return event.getMDCPropertyMap().get(RedisLogContext.MDC_KEY);
	}

	@Override
	public long timeMillis(ILoggingEvent event) {
		return event.getTimeStamp();
	}

	@Override
	public LogRecord capture(ILoggingEvent event) {
		event.prepareForDeferredProcessing();
		String formattedMessage = event.getFormattedMessage();
		IThrowableProxy throwable = event.getThrowableProxy();
		Map<String, String> mdc = event.getMDCPropertyMap();
		long chars = MdcLength.of(mdc);
		boolean oversized = this.text.isOversized(formattedMessage);
		LogMessage content;
		if (throwable != null || (oversized && !this.structured)) {
			String laidOut = layOut(event);
			content = new LogMessage.LaidOut(laidOut);
			chars += laidOut.length();
		}
		else {
			@Nullable String kept = oversized ? this.text.truncate(formattedMessage) : formattedMessage;
			@Nullable List<KeyValuePair> keyValuePairs = FrozenKeyValues.of(event.getKeyValuePairs());
			content = new LoggingEventSnapshot(event, kept, keyValuePairs, this.callerData, this);
			chars += MessageText.length(kept) + FrozenKeyValues.length(keyValuePairs);
		}
		ExceptionInfo exception = exception(throwable);
		if (exception != null) {
			chars += MessageText.length(exception.message()) + exception.stackTrace().length();
		}
		return new LogRecord(content, event.getLevel().toString(), event.getInstant(), event.getLoggerName(),
				event.getThreadName(), mdc.get(RedisLogContext.MDC_KEY), mdc.get(RedisLogContext.OWNER_MDC_KEY), mdc,
				exception, MessageText.estimatedBytes(chars));
	}

	@Override
	public String layOut(ILoggingEvent event) {
		try {
			String laidOut = this.layout.doLayout(event);
			return this.structured ? this.text.document(laidOut) : this.text.message(laidOut);
		}
		catch (Error ex) {
			throw MessageText.layoutFailure(ex);
		}
	}

	@Override
	public String toString() {
		return "LogEventCapture[" + this.layout + "]";
	}

	private @Nullable ExceptionInfo exception(@Nullable IThrowableProxy throwable) {
		if (throwable == null) {
			return null;
		}
		String message = throwable.getMessage();
		return new ExceptionInfo(throwable.getClassName(), (message != null) ? this.text.truncate(message) : null,
				this.text.truncate(ThrowableProxyUtil.asString(throwable)));
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
