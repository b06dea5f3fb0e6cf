package io.github.redislog.autoconfigure;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.health.RedisLogHealthIndicator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the {@code redisLog} health
 * indicator.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean({ DeliveryCounters.class, LogRecordQueue.class, RedisWriteStatus.class })
@ConditionalOnEnabledHealthIndicator("redislog")
public final class RedisLogHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "redisLogHealthIndicator")
	RedisLogHealthIndicator redisLogHealthIndicator(RedisWriteStatus writeStatus, DeliveryCounters counters,
			LogRecordQueue queue, RedisLogProperties properties) {
		return new RedisLogHealthIndicator(writeStatus, counters, queue,
				new Status(properties.getHealth().getFailingStatus()));
	}

}
