package io.github.redislog;

import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.util.Assert;

/**
 * Routes log records to a per-context Redis stream ({@code logs:{contextId}}) in addition
 * to the global one. The context travels in the SLF4J {@link MDC} under
 * {@link #MDC_KEY}, so it is captured with each record on the logging thread and carried
 * into async work by executors that copy the MDC.
 *
 * <pre class="code">
 * String jobId = RedisLogContext.newJobId("import");
 * try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
 *     log.info("Importing {} rows", rows.size()); // goes to logs:import_... and logs:global
 * }
 * </pre>
 *
 * @author Redis Log contributors
 */
public final class RedisLogContext {

	/**
	 * MDC key that holds the context id of the current thread.
	 */
	public static final String MDC_KEY = "redisLogContext";

	private RedisLogContext() {
	}

	/**
	 * Return a new job id, {@code {prefix}_{random UUID}}.
	 * @param prefix the prefix, for example {@code "task"}
	 * @return a new, unique job id
	 */
	public static String newJobId(String prefix) {
		Assert.hasText(prefix, "'prefix' must not be empty");
		return prefix + "_" + UUID.randomUUID();
	}

	/**
	 * Route records logged on this thread to the given context until the returned scope is
	 * closed; closing restores the context that was active before.
	 * @param contextId the context id, for example a job id from {@link #newJobId(String)}
	 * @return the scope to close
	 */
	public static Scope open(String contextId) {
		Assert.hasLength(contextId, "'contextId' must not be empty");
		String previous = MDC.get(MDC_KEY);
		MDC.put(MDC_KEY, contextId);
		return new Scope(previous);
	}

	/**
	 * Return the context id active on this thread.
	 * @return the context id, or empty when records go to the global stream only
	 */
	public static Optional<String> current() {
		return Optional.ofNullable(MDC.get(MDC_KEY));
	}

	/**
	 * An open context on the current thread. Close it on the thread that opened it.
	 */
	public static final class Scope implements AutoCloseable {

		private final @Nullable String previous;

		private Scope(@Nullable String previous) {
			this.previous = previous;
		}

		@Override
		public void close() {
			if (this.previous != null) {
				MDC.put(MDC_KEY, this.previous);
			}
			else {
				MDC.remove(MDC_KEY);
			}
		}

	}

}
