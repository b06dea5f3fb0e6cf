package io.github.redislog.autoconfigure;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.metrics.RedisLogMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the Micrometer meters of Redis Log.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogAutoConfiguration.class)
@ConditionalOnClass(MeterBinder.class)
@ConditionalOnBean({ DeliveryCounters.class, LogRecordQueue.class, RedisWriteStatus.class })
public final class RedisLogMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisLogMetrics redisLogMetrics(DeliveryCounters counters, LogRecordQueue queue, RedisWriteStatus writeStatus) {
		return new RedisLogMetrics(counters, queue, writeStatus);
	}

}
