package io.github.redislog.support;

import org.jspecify.annotations.Nullable;

/**
 * Where the starter reports its own trouble. Implementations must never log through the
 * application's loggers: a record about a failed delivery would be queued for delivery
 * itself and could loop.
 *
 * @author Redis Log contributors
 */
@FunctionalInterface
public interface TroubleReporter {

	/**
	 * Report a problem.
	 * @param message what went wrong and what it means for the records
	 * @param cause the underlying exception, or {@code null}
	 */
	void warn(String message, @Nullable Throwable cause);

}
