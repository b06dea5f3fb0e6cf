package io.github.redislog.web;

import io.github.redislog.web.LogStreamReader.ReaderFailure;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.util.Assert;

/**
 * Health of the live view: up while its shared reader runs, down if its thread is gone.
 * A reader that failed and was replaced stays up, with the failures, the last one and
 * when, in the details. It never calls Redis itself.
 *
 * @author Redis Log contributors
 */
public final class LogStreamHealthIndicator extends AbstractHealthIndicator {

	private final LogStreamReader reader;

	public LogStreamHealthIndicator(LogStreamReader reader) {
		super("Redis log live view health check failed");
		Assert.notNull(reader, "'reader' must not be null");
		this.reader = reader;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.reader.isReading()) {
			builder.up();
		}
		else {
			builder.down();
		}
		builder.withDetail("streams", this.reader.subscriberCount())
			.withDetail("readerFailures", this.reader.readerFailures());
		ReaderFailure failure = this.reader.lastReaderFailure();
		if (failure != null) {
			builder.withDetail("lastReaderFailure", failure.error())
				.withDetail("lastReaderFailureAt", failure.at().toString());
		}
	}

}
