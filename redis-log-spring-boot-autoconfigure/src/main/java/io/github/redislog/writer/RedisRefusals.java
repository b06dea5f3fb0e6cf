package io.github.redislog.writer;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.dao.RecoverableDataAccessException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Tells what may succeed later from what never will. Redis answers each command on its
 * own, with an error reply whose first word is its code: a few codes mean "not now" (out
 * of memory, a replica, a failover, a busy script); every other one refuses that command
 * for good. A command that got no reply at all (the connection broke or timed out) has an
 * unknown outcome and is tried again.
 *
 * @author Redis Log contributors
 */
final class RedisRefusals {

	private static final Set<String> TRANSIENT_CODES = Set.of("OOM", "READONLY", "LOADING", "BUSY", "MASTERDOWN",
			"TRYAGAIN", "CLUSTERDOWN", "NOREPLICAS", "MOVED", "ASK", "MISCONF");

	// Deeper cause chains are cut short, cyclic ones included.
	private static final int MAX_CAUSES = 16;

	private RedisRefusals() {
	}

	/**
	 * Return whether an error reply may succeed when the command is sent again.
	 * @param error the error reply, for example {@code OOM command not allowed ...}
	 * @return whether the refusal is transient
	 */
	static boolean isTransient(String error) {
		String code = code(error);
		return code != null && TRANSIENT_CODES.contains(code);
	}

	/**
	 * Return the error code of a Redis error reply: its first word, in capitals.
	 * @param message the message of an error
	 * @return the code, or {@code null} if the message is no Redis error reply, such as a
	 * client's "Connection closed"
	 */
	static @Nullable String code(@Nullable String message) {
		if (message == null) {
			return null;
		}
		int end = message.indexOf(' ');
		String code = (end < 0) ? message : message.substring(0, end);
		if (code.length() < 2) {
			return null;
		}
		for (int i = 0; i < code.length(); i++) {
			char c = code.charAt(i);
			if ((c < 'A' || c > 'Z') && c != '_') {
				return null;
			}
		}
		return code;
	}

	/**
	 * Return whether a failure to write leaves the commands without a reply worth
	 * retrying: the connection broke or timed out, or Redis refused for now.
	 * @param failure what a publisher threw
	 * @return whether the commands it did not report on may be sent again
	 */
	static boolean isTransient(Throwable failure) {
		int depth = 0;
		for (Throwable cause = failure; cause != null && depth++ < MAX_CAUSES; cause = cause.getCause()) {
			if (cause instanceof TransientDataAccessException || cause instanceof RecoverableDataAccessException
					|| cause instanceof DataAccessResourceFailureException || cause instanceof QueryTimeoutException
					|| cause instanceof IOException || cause instanceof TimeoutException
					|| cause instanceof InterruptedException
					|| isClientConnectionFailure(cause)) {
				return true;
			}
			if (cause.getCause() == null) {
				return isTransient(String.valueOf(cause.getMessage()));
			}
		}
		return false;
	}

	// The clients' own types (Lettuce's RedisConnectionException,
	// RedisCommandTimeoutException and RedisCommandInterruptedException, Jedis'
	// JedisConnectionException), without needing them.
	private static boolean isClientConnectionFailure(Throwable failure) {
		String name = failure.getClass().getSimpleName();
		return name.contains("Connection") || name.contains("Timeout") || name.contains("Interrupted");
	}

}
