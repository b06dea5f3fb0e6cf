package io.github.redislog.delivery;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A log record captured on the logging thread: immutable and safe to hand to the worker.
 * Its message may be laid out later: the appender leaves the layout, the costliest part of
 * a record, to the worker, which asks for each message once, when it writes the payload.
 *
 * @param content the message laid out, or the frozen event to lay out on the worker
 * @param level the level name, for example {@code INFO}
 * @param timestamp when the record was created
 * @param logger the logger name
 * @param thread the name of the thread that logged the record
 * @param contextId the context the record was logged in (user or job), or {@code null}
 * @param ownerId the owner of that context (the user who started a job), or {@code null}
 * @param mdc the MDC of the logging thread as it was when the record was logged; it may
 * hold the context and owner entries, which payloads leave out because they carry
 * {@code contextId} and {@code ownerId}
 * @param exception the logged exception, or {@code null}
 * @param estimatedBytes approximate memory the record holds until it is written, used to
 * bound the queue
 * @author Redis Log contributors
 */
public record LogRecord(LogMessage content, String level, Instant timestamp, String logger, String thread,
		@Nullable String contextId, @Nullable String ownerId, Map<String, String> mdc,
		@Nullable ExceptionInfo exception, long estimatedBytes) {

	/**
	 * Create a record whose message is already formatted.
	 * @param message the record formatted by the configured pattern, truncated if oversized
	 * @param level the level name, for example {@code INFO}
	 * @param timestamp when the record was created
	 * @param logger the logger name
	 * @param thread the name of the thread that logged the record
	 * @param contextId the context the record was logged in (user or job), or {@code null}
	 * @param ownerId the owner of that context (the user who started a job), or
	 * {@code null}
	 * @param mdc the MDC of the logging thread
	 * @param exception the logged exception, or {@code null}
	 * @param estimatedBytes approximate memory the record holds, used to bound the queue
	 */
	public LogRecord(String message, String level, Instant timestamp, String logger, String thread,
			@Nullable String contextId, @Nullable String ownerId, Map<String, String> mdc,
			@Nullable ExceptionInfo exception, long estimatedBytes) {
		this(new LogMessage.LaidOut(message), level, timestamp, logger, thread, contextId, ownerId, mdc, exception,
				estimatedBytes);
	}

	/**
	 * Return the message: the record formatted by the configured pattern, truncated if
	 * oversized. A deferred message is laid out on each call, and throws if its layout
	 * does.
	 * @return the message
	 */
	public String message() {
		return this.content.text();
	}

	/**
	 * The exception logged with a record.
	 *
	 * @param className the exception's class name
	 * @param message the exception's message, or {@code null}
	 * @param stackTrace the full stack trace, causes included
	 */
	public record ExceptionInfo(String className, @Nullable String message, String stackTrace) {

	}

}
