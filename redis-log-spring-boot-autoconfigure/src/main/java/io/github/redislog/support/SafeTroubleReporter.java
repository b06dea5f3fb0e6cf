package io.github.redislog.support;

import org.jspecify.annotations.Nullable;

/**
 * A {@link TroubleReporter} that throws nothing: a report that fails must neither end the
 * worker nor reach a logging thread that dropped a record.
 *
 * @author Redis Log contributors
 */
public final class SafeTroubleReporter implements TroubleReporter {

	private final TroubleReporter delegate;

	private SafeTroubleReporter(TroubleReporter delegate) {
		this.delegate = delegate;
	}

	public static TroubleReporter of(TroubleReporter reporter) {
		return (reporter instanceof SafeTroubleReporter) ? reporter : new SafeTroubleReporter(reporter);
	}

	@Override
	public void warn(String message, @Nullable Throwable cause) {
		try {
			this.delegate.warn(message, cause);
		}
		catch (Throwable ex) {
			Failures.rethrowIfFatal(ex);
			// Nowhere else to report to.
		}
	}

}
