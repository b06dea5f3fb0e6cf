package io.github.redislog;

import java.util.Optional;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

import org.springframework.util.Assert;

/**
 * Routes log records to a per-context Redis stream ({@code logs:{contextId}}) in addition
 * to the global one. The context travels in the SLF4J {@link MDC} under
 * {@link #MDC_KEY}, so it is captured with each record on the logging thread; the starter
 * carries it, with {@link #capture()} and {@link #restore(Snapshot)}, into the tasks of
 * Spring Boot's executors, along reactive pipelines and with RabbitMQ messages.
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

	/**
	 * MDC key that holds the owner of the current context: the context that was active
	 * when the outermost scope was opened, typically the user who started a job.
	 */
	public static final String OWNER_MDC_KEY = "redisLogOwner";

	/**
	 * Prefix of the context ids of users, {@code User.{username}}: a namespace of its own,
	 * which {@link #open(String)} refuses, so that no job can write into a user's stream.
	 */
	public static final String USER_CONTEXT_PREFIX = "User.";

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
	 * closed; closing restores the context that was active before. A scope opened while a
	 * user's context is active records that user as the owner of the new context, which
	 * lets that user read it; the first scope that opens a context owns it for as long as
	 * its stream lives.
	 * <p>
	 * Make context ids with {@link #newJobId(String)}, or from values the user cannot
	 * choose: a context id is where the records go, so one taken from user input could
	 * write into another job's stream.
	 * @param contextId the context id, for example a job id from {@link #newJobId(String)}
	 * @return the scope to close
	 * @throws IllegalArgumentException if the id is empty or in the users' namespace
	 * ({@value #USER_CONTEXT_PREFIX}...); use {@link #openUserContext(String)} for those
	 */
	public static Scope open(String contextId) {
		Assert.hasLength(contextId, "'contextId' must not be empty");
		Assert.isTrue(!contextId.startsWith(USER_CONTEXT_PREFIX), () -> "'" + contextId
				+ "' is in the namespace of users' contexts; open a user's context with openUserContext(username)");
		return enter(contextId);
	}

	/**
	 * Route records logged on this thread to a user's context, {@code User.{username}},
	 * until the returned scope is closed, as the servlet filter does for the requests of
	 * an authenticated user. Only for a username the application has authenticated: that
	 * user, and admins, can read the context.
	 * @param username the authenticated user's name
	 * @return the scope to close
	 */
	public static Scope openUserContext(String username) {
		Assert.hasLength(username, "'username' must not be empty");
		return enter(USER_CONTEXT_PREFIX + username);
	}

	private static Scope enter(String contextId) {
		String previous = MDC.get(MDC_KEY);
		String previousOwner = MDC.get(OWNER_MDC_KEY);
		String owner = (previousOwner != null) ? previousOwner : previous;
		MDC.put(MDC_KEY, contextId);
		put(OWNER_MDC_KEY, owner);
		return new Scope(previous, previousOwner);
	}

	/**
	 * Wrap a task so that it runs in the context (and with the owner) active on this
	 * thread now, for example to hand a user's context to a job's thread, where a scope
	 * opened for the job then records that user as its owner.
	 * @param task the task
	 * @return a task that runs {@code task} in the current context, then restores the
	 * context of the thread that runs it
	 */
	public static Runnable wrap(Runnable task) {
		String context = MDC.get(MDC_KEY);
		String owner = MDC.get(OWNER_MDC_KEY);
		return () -> {
			String previous = MDC.get(MDC_KEY);
			String previousOwner = MDC.get(OWNER_MDC_KEY);
			put(MDC_KEY, context);
			put(OWNER_MDC_KEY, owner);
			try {
				task.run();
			}
			finally {
				put(MDC_KEY, previous);
				put(OWNER_MDC_KEY, previousOwner);
			}
		};
	}

	/**
	 * Capture the context and owner active on this thread, to carry them to another
	 * thread or process and {@link #restore(Snapshot) restore} them there.
	 * @return the snapshot, or {@code null} when no context is active
	 */
	public static @Nullable Snapshot capture() {
		String context = MDC.get(MDC_KEY);
		return (context != null) ? new Snapshot(context, MDC.get(OWNER_MDC_KEY)) : null;
	}

	/**
	 * Make a captured context, and its owner, the context of this thread until the
	 * returned scope is closed. Unlike {@link #open(String)}, the owner is the captured
	 * one, not the context active now: work carried on elsewhere keeps the owner it had.
	 * @param snapshot the captured context, or {@code null} for none
	 * @return the scope to close, which restores the context that was active before
	 */
	public static Scope restore(@Nullable Snapshot snapshot) {
		Scope scope = new Scope(MDC.get(MDC_KEY), MDC.get(OWNER_MDC_KEY));
		put(MDC_KEY, (snapshot != null) ? snapshot.contextId() : null);
		put(OWNER_MDC_KEY, (snapshot != null) ? snapshot.ownerId() : null);
		return scope;
	}

	/**
	 * Return the context id active on this thread.
	 * @return the context id, or empty when records go to the global stream only
	 */
	public static Optional<String> current() {
		return Optional.ofNullable(MDC.get(MDC_KEY));
	}

	private static void put(String key, @Nullable String value) {
		if (value != null) {
			MDC.put(key, value);
		}
		else {
			MDC.remove(key);
		}
	}

	/**
	 * A context captured on one thread, to be restored on another thread or in another
	 * process.
	 *
	 * @param contextId the context id
	 * @param ownerId the owner of the context (the user who started a job), or
	 * {@code null}
	 */
	public record Snapshot(String contextId, @Nullable String ownerId) {

		public Snapshot {
			Assert.hasLength(contextId, "'contextId' must not be empty");
		}

	}

	/**
	 * An open context on the current thread. Close it on the thread that opened it.
	 */
	public static final class Scope implements AutoCloseable {

		private final @Nullable String previous;

		private final @Nullable String previousOwner;

		private Scope(@Nullable String previous, @Nullable String previousOwner) {
			this.previous = previous;
			this.previousOwner = previousOwner;
		}

		@Override
		public void close() {
			put(MDC_KEY, this.previous);
			put(OWNER_MDC_KEY, this.previousOwner);
		}

	}

}
