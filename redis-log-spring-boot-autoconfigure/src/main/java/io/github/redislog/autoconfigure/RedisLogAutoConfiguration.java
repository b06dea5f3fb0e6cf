package io.github.redislog.autoconfigure;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DirectRedisLogPublisher;
import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.JsonLogPayloadWriter;
import io.github.redislog.delivery.LogChannels;
import io.github.redislog.delivery.LogPayloadWriter;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.PipelinedRedisLogPublisher;
import io.github.redislog.delivery.RedisLogPublisher;
import io.github.redislog.delivery.RedisLogWorker;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.delivery.TroubleReporter;
import io.github.redislog.logback.LogbackStatusReporter;
import io.github.redislog.logback.MessageLayout;
import io.github.redislog.logback.RedisLogAppender;
import io.github.redislog.logback.RedisLogAppenderRegistration;
import io.github.redislog.resp.RespEndpoint;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that streams every log record to Redis:
 * a Logback appender on the root logger feeds a bounded queue that a worker writes to Redis
 * in pipelined batches.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnClass({ RedisOperations.class, LoggerContext.class })
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "redis-log.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisLogProperties.class)
public final class RedisLogAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LogChannels redisLogChannels(RedisLogProperties properties) {
		RedisLogProperties.Stream stream = properties.getStream();
		return new LogChannels(properties.getChannelPrefix(), properties.getGlobalChannel(), stream.getContextTtl(),
				stream.getGlobalTtl(), properties.getPubsub());
	}

	@Bean
	@ConditionalOnMissingBean
	LogPayloadWriter redisLogPayloadWriter(Environment environment) {
		return new JsonLogPayloadWriter(environment.getProperty("HOSTNAME"));
	}

	@Bean
	@ConditionalOnMissingBean
	RedisLogPublisher redisLogPublisher(RedisConnectionFactory connectionFactory,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails, RedisLogProperties properties) {
		long streamMaxLength = properties.getStream().getMaxLength();
		RespEndpoint endpoint = properties.isDirectConnection()
				? DirectConnectionEndpoint.of(connectionFactory, connectionDetails.getIfAvailable()) : null;
		if (endpoint != null) {
			return new DirectRedisLogPublisher(endpoint, streamMaxLength);
		}
		return new PipelinedRedisLogPublisher(connectionFactory, streamMaxLength);
	}

	@Bean
	@ConditionalOnMissingBean
	TroubleReporter redisLogTroubleReporter() {
		return new LogbackStatusReporter(loggerContext());
	}

	@Bean
	@ConditionalOnMissingBean
	DroppedRecords redisLogDroppedRecords(TroubleReporter troubleReporter) {
		return new DroppedRecords(troubleReporter);
	}

	@Bean
	@ConditionalOnMissingBean
	DeliveryCounters redisLogDeliveryCounters(DroppedRecords droppedRecords) {
		return new DeliveryCounters(droppedRecords);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisWriteStatus redisLogWriteStatus() {
		return new RedisWriteStatus();
	}

	@Bean
	@ConditionalOnMissingBean
	LogRecordQueue redisLogRecordQueue(RedisLogProperties properties, DroppedRecords droppedRecords) {
		return new LogRecordQueue(properties.getQueueCapacity(), properties.getQueueMaxBytes().toBytes(),
				droppedRecords);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisLogWorker redisLogWorker(LogRecordQueue queue, LogPayloadWriter payloadWriter, RedisLogPublisher publisher,
			LogChannels channels, DeliveryCounters counters, RedisWriteStatus writeStatus,
			TroubleReporter troubleReporter, RedisLogProperties properties) {
		return new RedisLogWorker(queue, payloadWriter, publisher, channels, counters, writeStatus, troubleReporter,
				properties.getBatchSize(), properties.getFlushInterval(), properties.getShutdownTimeout());
	}

	@Bean
	@ConditionalOnMissingBean
	RedisLogAppenderRegistration redisLogAppenderRegistration(LogRecordQueue queue, DeliveryCounters counters,
			RedisLogProperties properties, Environment environment) {
		LoggerContext loggerContext = loggerContext();
		RedisLogAppender appender = new RedisLogAppender(messageLayout(loggerContext, properties, environment),
				(int) properties.getMaxMessageSize().toBytes(), queue, counters);
		return new RedisLogAppenderRegistration(loggerContext, appender);
	}

	private static PatternLayout messageLayout(LoggerContext loggerContext,
			RedisLogProperties properties, Environment environment) {
		String property = (properties.getPattern() != null) ? "redis-log.pattern" : "logging.pattern.file";
		String pattern = (properties.getPattern() != null) ? properties.getPattern()
				: environment.getProperty(property, MessageLayout.DEFAULT_PATTERN);
		try {
			return MessageLayout.create(loggerContext, pattern);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, pattern, ex.getMessage());
		}
	}

	private static LoggerContext loggerContext() {
		ILoggerFactory loggerFactory = LoggerFactory.getILoggerFactory();
		if (!(loggerFactory instanceof LoggerContext loggerContext)) {
			throw new IllegalStateException("Redis Log needs Logback as the SLF4J provider but found "
					+ loggerFactory.getClass().getName() + "; set redis-log.enabled=false to run without it");
		}
		return loggerContext;
	}

}
