package io.github.redislog.delivery;

import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A log record captured on the logging thread: immutable and safe to hand to the worker.
 *
 * @param message the record formatted by the configured pattern, truncated if oversized
 * @param level the level name, for example {@code INFO}
 * @param timestamp when the record was created
 * @param logger the logger name
 * @param thread the name of the thread that logged the record
 * @param contextId the context the record was logged in (user or job), or {@code null}
 * @param ownerId the owner of that context (the user who started a job), or {@code null}
 * @param mdc the MDC of the logging thread, without the context and owner entries
 * @param exception the logged exception, or {@code null}
 * @param estimatedBytes approximate memory the record holds, used to bound the queue
 * @author Redis Log contributors
 */
public record LogRecord(String message, String level, Instant timestamp, String logger, String thread,
		@Nullable String contextId, @Nullable String ownerId, Map<String, String> mdc, @Nullable ExceptionInfo exception, long estimatedBytes) {

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
