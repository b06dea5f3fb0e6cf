package io.github.redislog.log4j2;

import java.beans.PropertyChangeEvent;
import java.beans.PropertyChangeListener;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.redislog.capture.NewestFirst;

import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.jspecify.annotations.Nullable;

/**
 * The one appender of the starter in a Log4j2 logger context, however many application
 * contexts run the starter in the JVM: it hands each event to the {@link Log4j2EventSink}
 * of the most recently started of them, so that each record is captured and delivered once.
 * <p>
 * It sits on the root logger configuration and on every logger configuration that does not
 * pass its events on to the root. A reconfiguration (Spring Boot's logging
 * re-initialisation, a {@code monitorInterval} reload, {@code Configurator.reconfigure})
 * replaces those configurations: the appender listens for the logger context's
 * {@code config} property and attaches itself to the new one. It is never registered with
 * a configuration's own appenders, which the configuration stops with itself.
 *
 * @author Redis Log contributors
 */
final class RedisLog4j2Appender extends AbstractAppender implements PropertyChangeListener {

	static final String NAME = "REDIS_LOG";

	// An entry lives while an application context runs the starter on that logger context.
	private static final Map<LoggerContext, RedisLog4j2Appender> appenders = new HashMap<>();

	private final LoggerContext loggerContext;

	// Changed under the class's lock: the sinks of running application contexts.
	private final NewestFirst<Log4j2EventSink> sinks = new NewestFirst<>();

	private RedisLog4j2Appender(LoggerContext loggerContext) {
		super(NAME, null, null, true, Property.EMPTY_ARRAY);
		this.loggerContext = loggerContext;
	}

	/**
	 * Make a sink the one that takes the events, until it is removed or another one is
	 * added.
	 * @param loggerContext the logger context
	 * @param sink the sink of an application context that starts
	 */
	static void add(LoggerContext loggerContext, Log4j2EventSink sink) {
		synchronized (RedisLog4j2Appender.class) {
			RedisLog4j2Appender appender = appenders.get(loggerContext);
			if (appender == null) {
				appender = new RedisLog4j2Appender(loggerContext);
				appender.start();
				appenders.put(loggerContext, appender);
				loggerContext.addPropertyChangeListener(appender);
			}
			appender.sinks.add(sink);
			appender.attach(loggerContext.getConfiguration());
		}
	}

	/**
	 * Stop handing events to a sink; the most recent of those still added takes over, and
	 * the appender leaves the configuration after the last one.
	 * @param loggerContext the logger context
	 * @param sink the sink of an application context that stops
	 */
	static void remove(LoggerContext loggerContext, Log4j2EventSink sink) {
		synchronized (RedisLog4j2Appender.class) {
			RedisLog4j2Appender appender = appenders.get(loggerContext);
			if (appender != null && appender.sinks.remove(sink)) {
				appenders.remove(loggerContext);
				loggerContext.removePropertyChangeListener(appender);
				appender.detach(loggerContext.getConfiguration());
				appender.stop();
			}
		}
	}

	/**
	 * Return the sink that takes the events.
	 * @param loggerContext the logger context
	 * @return the sink, or {@code null} if no application context runs the starter
	 */
	static @Nullable Log4j2EventSink active(LoggerContext loggerContext) {
		synchronized (RedisLog4j2Appender.class) {
			RedisLog4j2Appender appender = appenders.get(loggerContext);
			return (appender != null) ? appender.sinks.active() : null;
		}
	}

	@Override
	public void append(LogEvent event) {
		Log4j2EventSink sink = this.sinks.active();
		if (sink != null) {
			sink.take(event);
		}
	}

	@Override
	public void propertyChange(PropertyChangeEvent event) {
		if (LoggerContext.PROPERTY_CONFIG.equals(event.getPropertyName())
				&& event.getNewValue() instanceof Configuration configuration) {
			synchronized (RedisLog4j2Appender.class) {
				if (appenders.get(this.loggerContext) == this) {
					attach(configuration);
				}
			}
		}
	}

	// Idempotent: Log4j2 reports the same configuration again on every updateLoggers().
	private void attach(Configuration configuration) {
		for (LoggerConfig loggerConfig : receivingConfigs(configuration)) {
			if (!loggerConfig.getAppenders().containsKey(NAME)) {
				loggerConfig.addAppender(this, null, null);
			}
		}
	}

	private void detach(Configuration configuration) {
		for (LoggerConfig loggerConfig : receivingConfigs(configuration)) {
			loggerConfig.removeAppender(NAME);
		}
	}

	// The root, and the loggers whose events do not reach it.
	private static List<LoggerConfig> receivingConfigs(Configuration configuration) {
		List<LoggerConfig> configs = new ArrayList<>();
		configs.add(configuration.getRootLogger());
		for (LoggerConfig loggerConfig : configuration.getLoggers().values()) {
			if (!loggerConfig.isAdditive() && loggerConfig != configuration.getRootLogger()) {
				configs.add(loggerConfig);
			}
		}
		return configs;
	}

}
