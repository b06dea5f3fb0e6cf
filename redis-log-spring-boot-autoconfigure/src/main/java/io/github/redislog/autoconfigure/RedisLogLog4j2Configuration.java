package io.github.redislog.autoconfigure;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.log4j2.Log4j2AppenderRegistration;
import io.github.redislog.log4j2.Log4j2EventSink;
import io.github.redislog.log4j2.Log4j2MessageLayout;
import io.github.redislog.log4j2.Log4j2TroubleReporter;
import io.github.redislog.support.TroubleReporter;

import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Captures records from Log4j2: an appender on the root logger configuration (and on the
 * loggers that do not pass their records on to it), attached again after every
 * reconfiguration; trouble reported through a Log4j2 logger the appender never publishes.
 *
 * @author Redis Log contributors
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnLoggingBackend(LoggingBackend.LOG4J2)
class RedisLogLog4j2Configuration {

	@Bean
	@ConditionalOnMissingBean
	TroubleReporter redisLogTroubleReporter() {
		return new Log4j2TroubleReporter();
	}

	@Bean
	@ConditionalOnMissingBean
	Log4j2AppenderRegistration redisLogLog4j2AppenderRegistration(LogRecordQueue queue, DeliveryCounters counters,
			RedisLogProperties properties, Environment environment) {
		LoggerContext loggerContext = (LoggerContext) LogManager.getContext(false);
		MessageLayoutSetting setting = MessageLayoutSetting.of(properties, environment,
				Log4j2MessageLayout.DEFAULT_PATTERN);
		Log4j2EventSink sink = new Log4j2EventSink(
				setting.layout((pattern) -> Log4j2MessageLayout.pattern(loggerContext, pattern),
						(format) -> Log4j2MessageLayout.structured(loggerContext, format, environment)),
				(int) properties.getMaxMessageSize().toBytes(), queue, counters);
		return new Log4j2AppenderRegistration(loggerContext, sink);
	}

}
