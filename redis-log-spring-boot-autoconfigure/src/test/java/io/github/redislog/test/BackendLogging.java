package io.github.redislog.test;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.redislog.capture.AppenderRegistration;
import io.github.redislog.log4j2.Log4j2TroubleReporter;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.status.Status;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.context.ApplicationContext;

/**
 * What the behavioural tests do with the logging backend, on whichever one the test run
 * has (Logback in the default execution, Log4j2 in the {@code log4j2} one): each backend's
 * classes are touched only when it is the one running.
 */
public final class BackendLogging {

	private static final boolean LOGBACK = LoggerFactory.getILoggerFactory().getClass().getName()
		.equals("ch.qos.logback.classic.LoggerContext");

	private BackendLogging() {
	}

	/**
	 * Return whether the test run logs through Logback (or else through Log4j2).
	 * @return whether the backend is Logback
	 */
	public static boolean isLogback() {
		return LOGBACK;
	}

	/**
	 * Configure the backend from the tests' own configuration file again, after a test
	 * that ran an application with a logging configuration of its own.
	 */
	public static void restoreTestConfiguration() {
		if (LOGBACK) {
			LogbackReports.restoreTestConfiguration();
		}
		else {
			((org.apache.logging.log4j.core.LoggerContext) LogManager.getContext(false))
				.setConfigLocation(URI.create(BackendLogging.class.getResource("/log4j2-test.xml").toString()));
		}
	}

	/**
	 * Set the level of a logger through Spring Boot's logging system.
	 * @param loggerName the logger
	 * @param level the level, or {@code null} to inherit it again
	 */
	public static void setLevel(String loggerName, @Nullable LogLevel level) {
		LoggingSystem.get(BackendLogging.class.getClassLoader()).setLogLevel(loggerName, level);
	}

	/**
	 * Return whether the starter of an application context takes the events: of the
	 * contexts that run the starter in the JVM, it is the most recently started.
	 * @param context the application context
	 * @return whether its appender takes the events
	 */
	public static boolean takesTheEvents(ApplicationContext context) {
		return context.getBean(AppenderRegistration.class).isActive();
	}

	/**
	 * Start recording the starter's trouble reports, as the backend shows them (Logback
	 * statuses, or the Log4j2 reporter's records).
	 * @return the reports recorded from now on
	 */
	public static TroubleReports recordTroubleReports() {
		return LOGBACK ? new LogbackReports() : new Log4j2Reports();
	}

	/**
	 * The starter's trouble reports recorded since they were asked for.
	 */
	public interface TroubleReports extends AutoCloseable {

		/**
		 * Return the messages of the reports.
		 * @return the messages
		 */
		List<String> messages();

		@Override
		void close();

	}

	private static final class LogbackReports implements TroubleReports {

		private final long started = System.currentTimeMillis();

		// Here, since it catches a Logback exception: a class that does cannot load on Log4j2.
		static void restoreTestConfiguration() {
			LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
			loggerContext.reset();
			try {
				new ContextInitializer(loggerContext).autoConfig();
			}
			catch (JoranException ex) {
				throw new IllegalStateException(ex);
			}
		}

		@Override
		public List<String> messages() {
			LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
			return loggerContext.getStatusManager()
				.getCopyOfStatusList()
				.stream()
				.filter((status) -> status.getTimestamp() >= this.started && status.getLevel() == Status.WARN)
				.map(Status::getMessage)
				.toList();
		}

		@Override
		public void close() {
		}

	}

	private static final class Log4j2Reports extends AbstractAppender implements TroubleReports {

		private final List<String> messages = new CopyOnWriteArrayList<>();

		private final LoggerConfig reporterConfig;

		Log4j2Reports() {
			super("TEST_TROUBLE_REPORTS", null, null, true, Property.EMPTY_ARRAY);
			start();
			org.apache.logging.log4j.core.LoggerContext loggerContext = (org.apache.logging.log4j.core.LoggerContext) LogManager
				.getContext(false);
			this.reporterConfig = loggerContext.getConfiguration()
				.getLoggerConfig(Log4j2TroubleReporter.class.getName());
			this.reporterConfig.addAppender(this, null, null);
		}

		@Override
		public void append(LogEvent event) {
			this.messages.add(event.getMessage().getFormattedMessage());
		}

		@Override
		public List<String> messages() {
			return this.messages;
		}

		@Override
		public void close() {
			this.reporterConfig.removeAppender(getName());
			stop();
		}

	}

}
