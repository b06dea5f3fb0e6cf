package io.github.redislog.autoconfigure;

import org.apache.logging.log4j.LogManager;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

import org.springframework.util.ClassUtils;

/**
 * The logging backends the starter captures records from: the one the application's SLF4J
 * calls go to, as Spring Boot's {@code spring-boot-starter-logging} or
 * {@code spring-boot-starter-log4j2} sets it up.
 *
 * @author Redis Log contributors
 */
enum LoggingBackend {

	/**
	 * Logback, Spring Boot's default.
	 */
	LOGBACK,

	/**
	 * Log4j2's own implementation, log4j-core, with SLF4J bound to it.
	 */
	LOG4J2;

	private static final String LOGBACK_CONTEXT = "ch.qos.logback.classic.LoggerContext";

	private static final String LOG4J2_SLF4J_FACTORY = "org.apache.logging.slf4j.Log4jLoggerFactory";

	private static final String LOG4J2_CORE_CONTEXT = "org.apache.logging.log4j.core.LoggerContext";

	/**
	 * Return the backend the application logs through.
	 * @param classLoader the application's class loader
	 * @return the backend, or {@code null} if it is none the starter supports
	 */
	static @Nullable LoggingBackend of(@Nullable ClassLoader classLoader) {
		String slf4jFactory = slf4jFactory();
		if (ClassUtils.isPresent(LOGBACK_CONTEXT, classLoader) && LOGBACK_CONTEXT.equals(slf4jFactory)) {
			return LOGBACK;
		}
		if (ClassUtils.isPresent(LOG4J2_CORE_CONTEXT, classLoader) && LOG4J2_SLF4J_FACTORY.equals(slf4jFactory)
				&& Log4j2Api.usesCore()) {
			return LOG4J2;
		}
		return null;
	}

	/**
	 * Return where SLF4J sends the application's records, for a message that says why the
	 * starter backs off.
	 * @return the class name of SLF4J's logger factory
	 */
	static String slf4jFactory() {
		return LoggerFactory.getILoggerFactory().getClass().getName();
	}

	/**
	 * Touches the Log4j2 API only once SLF4J is known to be bound to it.
	 */
	private static final class Log4j2Api {

		static boolean usesCore() {
			return ClassUtils.isAssignable(ClassUtils.resolveClassName(LOG4J2_CORE_CONTEXT, null),
					LogManager.getContext(false).getClass());
		}

	}

}
