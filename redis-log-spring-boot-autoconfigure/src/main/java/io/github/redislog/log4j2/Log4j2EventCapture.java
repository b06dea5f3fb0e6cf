package io.github.redislog.log4j2;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.capture.LogEventIntake.EventCapture;
import io.github.redislog.capture.MessageText;
import io.github.redislog.delivery.LogMessage;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecord.ExceptionInfo;

import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MultiformatMessage;
import org.apache.logging.log4j.message.ReusableMessage;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.StringMap;
import org.jspecify.annotations.Nullable;

/**
 * Captures a Log4j2 event as a {@link LogRecord} on the logging thread. Log4j2 may reuse
 * its events, their messages and their context data once the log call returns, so the
 * record keeps copies: the formatted message (not the arguments it was formatted from), a
 * frozen copy of the {@code ThreadContext} and, only when the pattern prints it, the
 * caller's location. The layout (a pattern, or a structured format) runs when the worker
 * asks for the message, on that copy, which the record holds with this capture as its
 * {@link LogMessage.Deferred layout}; an event with an exception is laid out at once, and
 * so is an oversized one when a pattern lays it out (see the Logback capture for why).
 *
 * @author Redis Log contributors
 */
final class Log4j2EventCapture implements EventCapture<LogEvent>, LogMessage.Layout<LogEvent> {

	private final Layout<String> layout;

	private final MessageText text;

	private final boolean structured;

	private final boolean location;

	Log4j2EventCapture(Layout<String> layout, int maxMessageLength) {
		this.layout = layout;
		this.text = new MessageText(maxMessageLength);
		this.structured = !(layout instanceof PatternLayout);
		this.location = (layout instanceof PatternLayout patternLayout) && patternLayout.requiresLocation();
	}

	@Override
	public String loggerName(LogEvent event) {
		return event.getLoggerName();
	}

	@Override
	public @Nullable String contextId(LogEvent event) {
		return event.getContextData().getValue(RedisLogContext.MDC_KEY);
	}

	@Override
	public long timeMillis(LogEvent event) {
		return event.getTimeMillis();
	}

	@Override
	public LogRecord capture(LogEvent event) {
		Message message = event.getMessage();
		String formattedMessage = message.getFormattedMessage();
		StringMap contextData = frozen(event.getContextData());
		Map<String, String> mdc = contextData.toMap();
		Throwable thrown = event.getThrown();
		long chars = MessageText.length(mdc);
		boolean oversized = this.text.isOversized(formattedMessage);
		LogMessage content;
		if (thrown != null || (oversized && !this.structured)) {
			String laidOut = layOut(event);
			content = new LogMessage.LaidOut(laidOut);
			chars += laidOut.length();
		}
		else {
			Message kept = oversized ? new SimpleMessage(this.text.truncate(formattedMessage))
					: immutable(message, formattedMessage);
			LogEvent copy = copy(event, kept, contextData);
			content = new LogMessage.Deferred<>(copy, this);
			chars += MessageText.length(kept.getFormattedMessage());
		}
		ExceptionInfo exception = exception(thrown);
		if (exception != null) {
			chars += MessageText.length(exception.message()) + exception.stackTrace().length();
		}
		org.apache.logging.log4j.core.time.Instant instant = event.getInstant();
		return new LogRecord(content, event.getLevel().name(),
				Instant.ofEpochSecond(instant.getEpochSecond(), instant.getNanoOfSecond()), event.getLoggerName(),
				event.getThreadName(), mdc.get(RedisLogContext.MDC_KEY), mdc.get(RedisLogContext.OWNER_MDC_KEY), mdc,
				exception, MessageText.estimatedBytes(chars));
	}

	// Built field by field: Log4jLogEvent's copy constructor would always compute the
	// caller's location, a stack walk that most patterns do not print.
	private LogEvent copy(LogEvent event, Message message, StringMap contextData) {
		Log4jLogEvent.Builder copy = Log4jLogEvent.newBuilder()
			.setLoggerName(event.getLoggerName())
			.setLoggerFqcn(event.getLoggerFqcn())
			.setLevel(event.getLevel())
			.setMarker(event.getMarker())
			.setMessage(message)
			.setContextData(contextData)
			.setContextStack(event.getContextStack())
			.setThreadName(event.getThreadName())
			.setThreadId(event.getThreadId())
			.setThreadPriority(event.getThreadPriority())
			.setInstant(event.getInstant())
			.setNanoTime(event.getNanoTime())
			.setIncludeLocation(this.location);
		if (this.location) {
			copy.setSource(event.getSource());
		}
		return copy.build();
	}

	// A structured message (a map, JSON) keeps its structure for the structured formats;
	// any other keeps only its text: a reusable one changes once the call returns, and
	// its memento would keep the arguments, without equality.
	private static Message immutable(Message message, String formattedMessage) {
		return (message instanceof MultiformatMessage && !(message instanceof ReusableMessage)) ? message
				: new SimpleMessage(formattedMessage);
	}

	private static StringMap frozen(ReadOnlyStringMap contextData) {
		if (contextData instanceof StringMap map && map.isFrozen()) {
			return map;
		}
		StringMap copy = ContextDataFactory.createContextData(contextData);
		copy.freeze();
		return copy;
	}

	@Override
	public String layOut(LogEvent event) {
		try {
			String laidOut = this.layout.toSerializable(event);
			return this.structured ? this.text.document(laidOut) : this.text.message(laidOut);
		}
		catch (Error ex) {
			throw MessageText.layoutFailure(ex);
		}
	}

	@Override
	public String toString() {
		return "Log4j2EventCapture[" + this.layout + "]";
	}

	private @Nullable ExceptionInfo exception(@Nullable Throwable thrown) {
		if (thrown == null) {
			return null;
		}
		String message = thrown.getMessage();
		StringWriter stackTrace = new StringWriter();
		thrown.printStackTrace(new PrintWriter(stackTrace));
		return new ExceptionInfo(thrown.getClass().getName(), (message != null) ? this.text.truncate(message) : null,
				this.text.truncate(stackTrace.toString()));
	}

}
