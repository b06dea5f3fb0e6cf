package io.github.redislog.benchmarks;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.redislog.delivery.JsonLogPayloadWriter;
import io.github.redislog.delivery.LogRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Nanoseconds and bytes the worker spends on the JSON payload of a typical record: a
 * request's line in Spring Boot's file pattern, in a user's context.
 *
 * @author Redis Log contributors
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class PayloadWriterBenchmark {

	private final JsonLogPayloadWriter writer = new JsonLogPayloadWriter("web-7d9f");

	private final LogRecord record = new LogRecord(
			"2026-11-27T10:15:30.123+01:00  INFO 4242 --- [sample] [nio-8080-exec-1] c.e.orders.OrderService"
					+ "                  : Order 40017 placed for customer-3",
			"INFO", Instant.parse("2026-11-27T09:15:30.123456Z"), "com.example.orders.OrderService",
			"http-nio-8080-exec-1", "User.alice", null, Map.of(), null, 512);

	@Benchmark
	public byte[] writeJson() {
		return this.writer.write(this.record);
	}

}
