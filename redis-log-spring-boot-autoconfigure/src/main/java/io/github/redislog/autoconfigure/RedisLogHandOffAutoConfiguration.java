package io.github.redislog.autoconfigure;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.messaging.HandOffSignature;
import io.github.redislog.messaging.RefusalReason;
import io.github.redislog.messaging.RefusedContexts;
import io.github.redislog.messaging.StoredHandOffKey;
import io.github.redislog.support.TroubleReporter;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@link ContextHeaders} that
 * sign the log contexts handed to other processes (message headers and tracing baggage)
 * and verify the ones received, with the key of {@code redis-log.propagation.key} or, when
 * not set, one created once in Redis and shared by every instance that uses it.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogAutoConfiguration.class)
@ConditionalOnBean({ LogRecordQueue.class, RedisConnectionFactory.class })
@ConditionalOnBooleanProperty(name = "redis-log.propagation.enabled", matchIfMissing = true)
@EnableConfigurationProperties(RedisLogPropagationProperties.class)
public final class RedisLogHandOffAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RefusedContexts redisLogRefusedContexts(TroubleReporter troubleReporter) {
		return new RefusedContexts(troubleReporter);
	}

	@Bean
	@ConditionalOnMissingBean
	HandOffSignature redisLogHandOffSignature(RedisLogPropagationProperties propagation,
			ObjectProvider<RedisConnectionFactory> connectionFactory, TroubleReporter troubleReporter) {
		String configuredKey = checked("redis-log.propagation.key", propagation.getKey());
		Supplier<@Nullable String> key = (configuredKey != null) ? () -> configuredKey
				: new StoredHandOffKey(connectionFactory::getObject, troubleReporter);
		return new HandOffSignature(key, checked("redis-log.propagation.previous-key", propagation.getPreviousKey()));
	}

	@Bean
	@ConditionalOnMissingBean
	ContextHeaders redisLogContextHeaders(HandOffSignature signature, RedisLogPropagationProperties propagation,
			RedisLogProperties properties, RefusedContexts refused) {
		Duration maxAge = (propagation.getMaxAge() != null) ? propagation.getMaxAge()
				: properties.getStream().getContextTtl();
		return new ContextHeaders(signature, maxAge, refused);
	}

	private static @Nullable String checked(String property, @Nullable String key) {
		if (key != null && key.length() < RedisLogPropagationProperties.MIN_KEY_LENGTH) {
			throw new InvalidConfigurationPropertyValueException(property, "(hidden)",
					"must be at least " + RedisLogPropagationProperties.MIN_KEY_LENGTH + " characters");
		}
		return key;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class RefusedContextsMetricsConfiguration {

		@Bean
		MeterBinder redisLogRefusedContextsMetrics(RefusedContexts refused) {
			return (registry) -> {
				for (RefusalReason reason : RefusalReason.values()) {
					FunctionCounter.builder("redis.log.context.refused", refused, (counts) -> counts.count(reason))
						.description("Log contexts received with messages and not restored")
						.tag("reason", reason.tag())
						.register(registry);
				}
			};
		}

	}

}
