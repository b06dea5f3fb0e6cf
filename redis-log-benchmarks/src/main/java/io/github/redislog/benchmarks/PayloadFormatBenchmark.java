package io.github.redislog.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.redislog.capture.MessageText;
import io.github.redislog.delivery.JsonLogPayloadWriter;
import io.github.redislog.delivery.LogPayloadWriter;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.StructuredLogPayloadWriter;
import io.github.redislog.logback.MessageLayout;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Layout;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import org.springframework.core.env.StandardEnvironment;

/**
 * Nanoseconds the worker spends per record on each payload format: the layout of a typical
 * request's record in a user's context (Boot's file pattern for {@code reference}, Boot's
 * structured formatter for the others) and the payload written from it. The caller's cost
 * does not depend on the format: the layout runs on the worker.
 *
 * @author Redis Log contributors
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
@State(Scope.Thread)
public class PayloadFormatBenchmark {

	@Param({ "reference", "ecs", "logstash", "gelf" })
	public String format;

	private Layout<ILoggingEvent> layout;

	private LogPayloadWriter writer;

	private ILoggingEvent event;

	private final MessageText text = new MessageText(64 * 1024);

	@Setup
	public void setUp() {
		LoggerContext context = new LoggerContext();
		StandardEnvironment environment = new StandardEnvironment();
		if ("reference".equals(this.format)) {
			this.layout = MessageLayout.create(context, MessageLayout.DEFAULT_PATTERN);
			this.writer = new JsonLogPayloadWriter("web-7d9f");
		}
		else {
			this.layout = MessageLayout.structured(context, this.format, environment);
			this.writer = StructuredLogPayloadWriter.forFormat(this.format, "web-7d9f");
		}
		Logger logger = context.getLogger("com.example.orders.OrderService");
		LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.INFO,
				"Order {} placed for {}", null, new Object[] { 40017, "customer-3" });
		event.setThreadName("http-nio-8080-exec-1");
		event.setMDCPropertyMap(Map.of("redisLogContext", "User.alice", "traceId", "6b1639bbc9a329bba6f6df1735751702"));
		event.prepareForDeferredProcessing();
		this.event = event;
	}

	@Benchmark
	public byte[] layOutAndWrite() {
		ILoggingEvent event = this.event;
		String laidOut = this.layout.doLayout(event);
		String message = "reference".equals(this.format) ? this.text.message(laidOut) : this.text.document(laidOut);
		LogRecord record = new LogRecord(message, "INFO", event.getInstant(), event.getLoggerName(),
				event.getThreadName(), "User.alice", null, event.getMDCPropertyMap(), null, 512);
		return this.writer.write(record);
	}

}
