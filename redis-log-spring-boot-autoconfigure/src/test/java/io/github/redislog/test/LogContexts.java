package io.github.redislog.test;

import io.github.redislog.RedisLogContext;

/**
 * Opens any context id in tests, a user's included, the way the application would reach it.
 *
 * @author Redis Log contributors
 */
public final class LogContexts {

	private LogContexts() {
	}

	/**
	 * Open a scope for a context: a user's through
	 * {@link RedisLogContext#openUserContext(String)}, any other through
	 * {@link RedisLogContext#open(String)}.
	 * @param contextId the context id, for example {@code User.alice} or a job id
	 * @return the scope to close
	 */
	public static RedisLogContext.Scope open(String contextId) {
		String prefix = RedisLogContext.USER_CONTEXT_PREFIX;
		return contextId.startsWith(prefix) ? RedisLogContext.openUserContext(contextId.substring(prefix.length()))
				: RedisLogContext.open(contextId);
	}

}
