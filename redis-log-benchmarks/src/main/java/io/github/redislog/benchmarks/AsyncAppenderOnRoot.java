package io.github.redislog.benchmarks;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import org.slf4j.LoggerFactory;

/**
 * The baseline the starter's appender is measured against: Logback's {@link AsyncAppender}
 * with {@code neverBlock=true} (its defaults otherwise) on the root logger, in front of an
 * appender of the benchmark's, until closed.
 *
 * @author Redis Log contributors
 */
final class AsyncAppenderOnRoot implements AutoCloseable {

	private final Logger root;

	private final AsyncAppender async = new AsyncAppender();

	private AsyncAppenderOnRoot(LoggerContext loggerContext, Appender<ILoggingEvent> behind) {
		this.root = loggerContext.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		behind.setContext(loggerContext);
		behind.start();
		this.async.setContext(loggerContext);
		this.async.setNeverBlock(true);
		this.async.addAppender(behind);
		this.async.start();
		this.root.addAppender(this.async);
	}

	/**
	 * Start an {@code AsyncAppender} in front of the given appender and attach it to the
	 * root logger.
	 * @param behind the appender the {@code AsyncAppender}'s worker appends to, not started
	 * @return the attached appender, to close when done
	 */
	static AsyncAppenderOnRoot attach(Appender<ILoggingEvent> behind) {
		return new AsyncAppenderOnRoot((LoggerContext) LoggerFactory.getILoggerFactory(), behind);
	}

	@Override
	public void close() {
		this.root.detachAppender(this.async);
		this.async.stop();
	}

}
