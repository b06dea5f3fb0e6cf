package io.github.redislog.autoconfigure;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.logback.LogbackStatusReporter;
import io.github.redislog.logback.MessageLayout;
import io.github.redislog.logback.RedisLogAppender;
import io.github.redislog.logback.RedisLogAppenderRegistration;
import io.github.redislog.support.TroubleReporter;

import ch.qos.logback.classic.LoggerContext;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Captures records from Logback: an appender on the root logger, trouble reported as
 * statuses of the Logback context.
 *
 * @author Redis Log contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLoggingBackend(LoggingBackend.LOGBACK)
class RedisLogLogbackConfiguration {

	@Bean
	@ConditionalOnMissingBean
	TroubleReporter redisLogTroubleReporter() {
		return new LogbackStatusReporter(loggerContext());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisLogAppenderRegistration redisLogAppenderRegistration(LogRecordQueue queue, DeliveryCounters counters,
			RedisLogProperties properties, Environment environment) {
		LoggerContext loggerContext = loggerContext();
		MessageLayoutSetting setting = MessageLayoutSetting.of(properties, environment, MessageLayout.DEFAULT_PATTERN);
		RedisLogAppender appender = new RedisLogAppender(
				setting.layout((pattern) -> MessageLayout.create(loggerContext, pattern),
						(format) -> MessageLayout.structured(loggerContext, format, environment)),
				(int) properties.getMaxMessageSize().toBytes(), queue, counters);
		return new RedisLogAppenderRegistration(loggerContext, appender);
	}

	private static LoggerContext loggerContext() {
		return (LoggerContext) LoggerFactory.getILoggerFactory();
	}

}
