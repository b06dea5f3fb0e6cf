package io.github.redislog.logback;

import java.util.HashMap;
import java.util.Map;

import io.github.redislog.capture.NewestFirst;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.util.ReentryGuard;
import ch.qos.logback.core.util.ReentryGuardFactory;
import ch.qos.logback.core.util.ReentryGuardFactory.GuardType;
import org.jspecify.annotations.Nullable;

/**
 * The one appender of the starter on the root logger of a Logback context, however many
 * application contexts run the starter in the JVM (a parent and a child, the test
 * framework's context cache, two {@code SpringApplication}s): it hands each event to the
 * {@link RedisLogAppender} of the most recently started of them, so that each record is
 * captured and delivered once. When that one stops, the one started before it takes over.
 * The hand-over is one volatile write: an event goes to one appender or the other.
 *
 * @author Redis Log contributors
 */
final class RootAppenderRelay extends UnsynchronizedAppenderBase<ILoggingEvent> {

	// An entry lives while an application context runs the starter on that Logback context.
	private static final Map<LoggerContext, RootAppenderRelay> relays = new HashMap<>();

	private final LoggerContext loggerContext;

	// Changed under the class's lock: the appenders of running application contexts.
	private final NewestFirst<RedisLogAppender> appenders = new NewestFirst<>();

	private RootAppenderRelay(LoggerContext loggerContext) {
		this.loggerContext = loggerContext;
		setContext(loggerContext);
		setName("REDIS_LOG");
	}

	/**
	 * Make an appender the one that takes the events, until it is removed or another one
	 * is added.
	 * @param appender the started appender of an application context that starts
	 */
	static void add(LoggerContext loggerContext, RedisLogAppender appender) {
		synchronized (RootAppenderRelay.class) {
			RootAppenderRelay relay = relays.computeIfAbsent(loggerContext, RootAppenderRelay::new);
			relay.appenders.add(appender);
			relay.attach();
		}
	}

	/**
	 * Stop handing events to an appender; the most recent of those still added takes
	 * over, and the relay leaves the root logger after the last one.
	 * @param appender the appender of an application context that stops
	 */
	static void remove(LoggerContext loggerContext, RedisLogAppender appender) {
		synchronized (RootAppenderRelay.class) {
			RootAppenderRelay relay = relays.get(loggerContext);
			if (relay == null) {
				return;
			}
			if (relay.appenders.remove(appender)) {
				relays.remove(loggerContext);
				relay.rootLogger().detachAppender(relay);
				relay.stop();
			}
		}
	}

	/**
	 * Attach the relay to the root logger again, after something reset the Logback
	 * context.
	 */
	static void reattach(LoggerContext loggerContext) {
		synchronized (RootAppenderRelay.class) {
			RootAppenderRelay relay = relays.get(loggerContext);
			if (relay != null) {
				relay.attach();
			}
		}
	}

	/**
	 * Return the appender that takes the events.
	 * @return the appender, or {@code null} if no application context runs the starter
	 */
	static @Nullable RedisLogAppender active(LoggerContext loggerContext) {
		synchronized (RootAppenderRelay.class) {
			RootAppenderRelay relay = relays.get(loggerContext);
			return (relay != null) ? relay.appenders.active() : null;
		}
	}

	// The relay is what Logback calls on the logging thread: it guards against re-entry
	// (as the appender would) and hands the event straight to the appender's work, rather
	// than through a second doAppend with its own guard and checks.
	@Override
	protected ReentryGuard buildReentryGuard() {
		return ReentryGuardFactory.makeGuard(GuardType.THREAD_LOCAL);
	}

	@Override
	protected void append(ILoggingEvent event) {
		RedisLogAppender appender = this.appenders.active();
		if (appender != null && appender.isStarted()) {
			appender.append(event);
		}
	}

	private void attach() {
		start();
		Logger root = rootLogger();
		if (!root.isAttached(this)) {
			root.addAppender(this);
		}
	}

	private Logger rootLogger() {
		return this.loggerContext.getLogger(Logger.ROOT_LOGGER_NAME);
	}

}
