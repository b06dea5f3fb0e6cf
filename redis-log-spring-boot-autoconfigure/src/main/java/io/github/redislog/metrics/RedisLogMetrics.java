package io.github.redislog.metrics;

import java.util.function.ToDoubleFunction;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisWriteStatus;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters of the delivery of log records to Redis: {@code redis.log.records.offered},
 * {@code .published} and {@code .dropped} (tag {@code reason}), the queue's
 * {@code redis.log.queue.size} and {@code .bytes}, {@code redis.log.batch.duration},
 * {@code redis.log.redis.errors} and {@code redis.log.keys.refused} (tag {@code command}:
 * {@code expire}, {@code set}).
 *
 * @author Redis Log contributors
 */
public final class RedisLogMetrics implements MeterBinder {

	private final DeliveryCounters counters;

	private final LogRecordQueue queue;

	private final RedisWriteStatus writeStatus;

	public RedisLogMetrics(DeliveryCounters counters, LogRecordQueue queue, RedisWriteStatus writeStatus) {
		this.counters = counters;
		this.queue = queue;
		this.writeStatus = writeStatus;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		FunctionCounter.builder("redis.log.records.offered", this.counters, DeliveryCounters::offeredCount)
			.description("Log records the appender accepted for delivery")
			.register(registry);
		FunctionCounter.builder("redis.log.records.published", this.counters, DeliveryCounters::publishedCount)
			.description("Log records written to Redis")
			.register(registry);
		for (DropReason reason : DropReason.values()) {
			FunctionCounter.builder("redis.log.records.dropped", this.counters, (counters) -> counters.dropped().count(reason))
				.description("Log records not delivered, by reason")
				.tag("reason", reason.tag())
				.register(registry);
		}
		Gauge.builder("redis.log.queue.size", this.queue, LogRecordQueue::size)
			.description("Log records waiting for delivery")
			.register(registry);
		Gauge.builder("redis.log.queue.bytes", this.queue, LogRecordQueue::bytes)
			.description("Estimated memory held by log records waiting for delivery")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder("redis.log.redis.errors", this.writeStatus, RedisWriteStatus::failedAttempts)
			.description("Attempts to write a batch of log records that Redis did not accept")
			.register(registry);
		keysRefused("expire", RedisWriteStatus::refusedExpiries).register(registry);
		keysRefused("set", RedisWriteStatus::refusedOwners).register(registry);
		Timer batchDuration = Timer.builder("redis.log.batch.duration")
			.description("Time to write one batch of log records to Redis")
			.register(registry);
		this.writeStatus.onBatchWritten(batchDuration::record);
	}

	// Shared by both commands: Prometheus wants one description per name.
	private FunctionCounter.Builder<RedisWriteStatus> keysRefused(String command,
			ToDoubleFunction<RedisWriteStatus> count) {
		return FunctionCounter.builder("redis.log.keys.refused", this.writeStatus, count)
			.description("Owner and expiry commands Redis refused for good after the entries they serve were written")
			.tag("command", command);
	}

}
