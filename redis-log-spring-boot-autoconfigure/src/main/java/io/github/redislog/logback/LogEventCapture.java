package io.github.redislog.logback;

import java.util.HashMap;
import java.util.Map;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecord.ExceptionInfo;
import org.jspecify.annotations.Nullable;

/**
 * Captures a Logback event as a {@link LogRecord} on the logging thread, so that nothing the
 * worker reads later can change under it: formats the message with the pattern, truncates
 * oversized text and copies the MDC.
 *
 * @author Redis Log contributors
 */
final class LogEventCapture {

	// Strings, MDC map and record headers beyond their characters.
	private static final long RECORD_OVERHEAD_BYTES = 256;

	private final PatternLayout layout;

	private final int maxMessageLength;

	LogEventCapture(PatternLayout layout, int maxMessageLength) {
		this.layout = layout;
		this.maxMessageLength = maxMessageLength;
	}

	LogRecord capture(ILoggingEvent event) {
		String message = truncate(stripTrailingLineBreaks(this.layout.doLayout(event)));
		ExceptionInfo exception = exception(event.getThrowableProxy());
		Map<String, String> mdc = event.getMDCPropertyMap();
		String contextId = mdc.get(RedisLogContext.MDC_KEY);
		String ownerId = mdc.get(RedisLogContext.OWNER_MDC_KEY);
		if (contextId != null || ownerId != null) {
			mdc = new HashMap<>(mdc);
			mdc.remove(RedisLogContext.MDC_KEY);
			mdc.remove(RedisLogContext.OWNER_MDC_KEY);
		}
		long chars = message.length();
		if (exception != null) {
			chars += length(exception.message()) + exception.stackTrace().length();
		}
		for (Map.Entry<String, String> entry : mdc.entrySet()) {
			chars += entry.getKey().length() + length(entry.getValue());
		}
		return new LogRecord(message, event.getLevel().toString(), event.getInstant(), event.getLoggerName(),
				event.getThreadName(), contextId, ownerId, mdc, exception, RECORD_OVERHEAD_BYTES + 2 * chars);
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

	private static int length(@Nullable String text) {
		return (text != null) ? text.length() : 0;
	}

}
