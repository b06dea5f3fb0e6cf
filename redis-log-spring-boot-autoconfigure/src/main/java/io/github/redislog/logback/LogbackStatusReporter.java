package io.github.redislog.logback;

import io.github.redislog.support.TroubleReporter;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.spi.ContextAwareBase;
import org.jspecify.annotations.Nullable;

/**
 * Reports the starter's trouble as WARN statuses of the Logback context: a path that cannot
 * reach the appender. Adds a console listener for them when the context has none.
 *
 * @author Redis Log contributors
 */
public final class LogbackStatusReporter extends ContextAwareBase implements TroubleReporter {

	public LogbackStatusReporter(Context context) {
		setContext(context);
		WarnConsoleStatusListener.addIfAbsent(context);
	}

	@Override
	public void warn(String message, @Nullable Throwable cause) {
		addWarn("[redis-log] " + message, cause);
	}

}
