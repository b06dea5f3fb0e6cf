package io.github.redislog.log4j2;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.function.BiConsumer;

import io.github.redislog.RedisLogContext;
import io.github.redislog.capture.LineBuffer;
import io.github.redislog.capture.LogEventIntake.EventCapture;
import io.github.redislog.capture.MessageText;
import io.github.redislog.delivery.LogMessage;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecord.ExceptionInfo;

import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.MultiformatMessage;
import org.apache.logging.log4j.message.ReusableMessage;
import org.apache.logging.log4j.util.ReadOnlyStringMap;
import org.apache.logging.log4j.util.StringMap;
import org.jspecify.annotations.Nullable;

/**
 * Captures a Log4j2 event as a {@link LogRecord} on the logging thread. Log4j2 may reuse
 * its events, their messages and their context data once the log call returns, so the
 * record keeps copies: the formatted message (not the arguments it was formatted from), the
 * {@code ThreadContext} frozen (Log4j2's own injector hands it over frozen already, and it
 * is kept as it is) and, only when the pattern prints it, the caller's location. The
 * record's MDC is a view of that frozen context data, not a second copy. The layout (a
 * pattern, or a structured format) runs when the worker asks for the message, on a
 * {@link Log4j2EventSnapshot}, which is also the record's
 * {@link LogMessage.Deferred deferred message} with this capture as its layout; an event
 * with an exception is laid out at once, and so is an oversized one when a pattern lays it
 * out (see the Logback capture for why).
 *
 * @author Redis Log contributors
 */
final class Log4j2EventCapture implements EventCapture<LogEvent>, LogMessage.Layout<LogEvent> {

	private final Layout<String> layout;

	// A pattern lays out into a kept buffer, without trailing line breaks; Log4j2's own
	// buffer per thread is off in web applications, and stripping the line break copies.
	private final @Nullable BiConsumer<LogEvent, StringBuilder> pattern;

	private final LineBuffer lines = new LineBuffer();

	private final MessageText text;

	private final boolean location;

	Log4j2EventCapture(Layout<String> layout, int maxMessageLength) {
		this.layout = layout;
		this.pattern = (layout instanceof PatternLayout patternLayout) ? patternLayout::serialize : null;
		this.text = new MessageText(maxMessageLength);
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
		Throwable thrown = event.getThrown();
		long chars = ContextDataMap.length(contextData);
		boolean oversized = this.text.isOversized(formattedMessage);
		org.apache.logging.log4j.core.time.Instant eventInstant = event.getInstant();
		Instant instant = Instant.ofEpochSecond(eventInstant.getEpochSecond(), eventInstant.getNanoOfSecond());
		LogMessage content;
		if (thrown != null || (oversized && this.pattern != null)) {
			String laidOut = layOut(event);
			content = new LogMessage.LaidOut(laidOut);
			chars += laidOut.length();
		}
		else if (!oversized && isImmutableStructure(message)) {
			content = new Log4j2EventSnapshot(event, null, message, contextData, instant, this.location, this);
			chars += MessageText.length(formattedMessage);
		}
		else {
			String kept = oversized ? this.text.truncate(formattedMessage) : formattedMessage;
			content = new Log4j2EventSnapshot(event, kept, null, contextData, instant, this.location, this);
			chars += MessageText.length(kept);
		}
		ExceptionInfo exception = exception(thrown);
		if (exception != null) {
			chars += MessageText.length(exception.message()) + exception.stackTrace().length();
		}
		return new LogRecord(content, event.getLevel().name(), instant, event.getLoggerName(), event.getThreadName(),
				ContextDataMap.text(contextData.getValue(RedisLogContext.MDC_KEY)),
				ContextDataMap.text(contextData.getValue(RedisLogContext.OWNER_MDC_KEY)),
				new ContextDataMap(contextData), exception, MessageText.estimatedBytes(chars));
	}

	// A structured message (a map, JSON) keeps its structure for the structured formats;
	// any other keeps only its text: a reusable one changes once the call returns, and
	// its memento would keep the arguments, without equality.
	private static boolean isImmutableStructure(Message message) {
		return message instanceof MultiformatMessage && !(message instanceof ReusableMessage);
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
			BiConsumer<LogEvent, StringBuilder> pattern = this.pattern;
			if (pattern != null) {
				return this.text.truncate(this.lines.layOut(event, pattern));
			}
			return this.text.document(this.layout.toSerializable(event));
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
