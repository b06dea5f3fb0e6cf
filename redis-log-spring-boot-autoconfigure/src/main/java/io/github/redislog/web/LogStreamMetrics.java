package io.github.redislog.web;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.util.Assert;

/**
 * Micrometer meters of the live view: open event streams, streams refused for a limit,
 * streams ended by reason, and failures of the shared reader.
 *
 * @author Redis Log contributors
 */
public final class LogStreamMetrics implements MeterBinder {

	private final LogStreamReader reader;

	private final LogStreamLimits limits;

	/**
	 * Create the meters' binder.
	 * @param reader counts the streams and their ends
	 * @param limits counts the refusals
	 */
	public LogStreamMetrics(LogStreamReader reader, LogStreamLimits limits) {
		Assert.notNull(reader, "'reader' must not be null");
		Assert.notNull(limits, "'limits' must not be null");
		this.reader = reader;
		this.limits = limits;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("redis.log.live.streams", this.reader, LogStreamReader::subscriberCount)
			.description("Event streams of the live view that are open")
			.register(registry);
		Gauge.builder("redis.log.live.buffered", this.reader, LogStreamReader::bufferedBytes)
			.description("Data waiting to be sent to the clients of the live view")
			.baseUnit("bytes")
			.register(registry);
		FunctionCounter.builder("redis.log.live.refused", this.limits, LogStreamLimits::refused)
			.description("Event streams refused because a user or the application had too many open")
			.register(registry);
		FunctionCounter.builder("redis.log.live.reader.failures", this.reader, LogStreamReader::readerFailures)
			.description("Times the shared reader of the live view failed and was replaced")
			.register(registry);
		for (StreamEnd end : StreamEnd.values()) {
			FunctionCounter.builder("redis.log.live.ended", this.reader, (reader) -> reader.endCount(end))
				.description("Event streams of the live view that ended, by reason")
				.tag("reason", end.tag())
				.register(registry);
		}
	}

}
