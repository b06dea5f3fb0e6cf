package io.github.redislog.health;

import java.time.Duration;
import java.time.Instant;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisWriteStatus;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the delivery of log records: up while records reach Redis, the configured
 * failing status (down by default) with the last error and since when while nothing gets
 * through. Records Redis refused for good while others got through show in the details
 * (count, last refused command with its error, and when), and so do expiries and owners
 * it refused for good after the records' entries were in: keys left without a time to
 * live ({@code keysWithoutTtl}) and streams without their owner key ({@code ownersNotSet}). Details say what failed, not
 * whose: no key, context id or address, which anyone allowed to read them could learn;
 * the rate-limited report in the log names them. It reads the worker's state and never
 * calls Redis itself.
 *
 * @author Redis Log contributors
 */
public final class RedisLogHealthIndicator extends AbstractHealthIndicator {

	private final RedisWriteStatus writeStatus;

	private final DeliveryCounters counters;

	private final LogRecordQueue queue;

	private final Status failingStatus;

	public RedisLogHealthIndicator(RedisWriteStatus writeStatus, DeliveryCounters counters, LogRecordQueue queue,
			Status failingStatus) {
		super("Redis log health check failed");
		this.writeStatus = writeStatus;
		this.counters = counters;
		this.queue = queue;
		this.failingStatus = failingStatus;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		Instant failingSince = this.writeStatus.failingSince();
		if (failingSince != null) {
			builder.status(this.failingStatus)
				.withDetail("error", HealthErrors.describe(this.writeStatus.lastError()))
				.withDetail("failingSince", failingSince.toString())
				.withDetail("failingFor", Duration.between(failingSince, Instant.now()).toString())
				.withDetail("failedAttempts", this.writeStatus.consecutiveFailures());
			String workerFailure = this.writeStatus.workerFailure();
			if (workerFailure != null) {
				builder.withDetail("workerFailure", HealthErrors.describe(workerFailure));
			}
		}
		else {
			builder.up();
		}
		builder.withDetail("queueSize", this.queue.size())
			.withDetail("queueBytes", this.queue.bytes())
			.withDetail("offered", this.counters.offeredCount())
			.withDetail("published", this.counters.publishedCount());
		for (DropReason reason : DropReason.values()) {
			builder.withDetail("dropped." + reason.tag(), this.counters.dropped().count(reason));
		}
		builder.withDetail("keysWithoutTtl", this.writeStatus.refusedExpiries())
			.withDetail("ownersNotSet", this.writeStatus.refusedOwners());
		Instant lastRejectedAt = this.writeStatus.lastRejectedAt();
		if (lastRejectedAt != null) {
			builder.withDetail("lastRejection", HealthErrors.describe(this.writeStatus.lastRejection()))
				.withDetail("lastRejectedAt", lastRejectedAt.toString());
		}
	}

}
