package io.github.redislog.log4j2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.LogMessage;
import io.github.redislog.delivery.LogRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.MutableLogEvent;
import org.apache.logging.log4j.message.ReusableParameterizedMessage;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Log4j2EventCapture}: what Log4j2 reuses once the log call returns (a
 * mutable event, its reusable message, its context data) changes nothing in the record.
 */
class Log4j2EventCaptureTests {

	private final LoggerContext loggerContext = (LoggerContext) LogManager.getContext(false);

	@Test
	void recordKeepsWhatAReusedEventHeldWhenItWasLogged() {
		Log4j2EventCapture capture = new Log4j2EventCapture(
				Log4j2MessageLayout.pattern(this.loggerContext, "%p [%t] %X{traceId} %m"), 1_000);
		MutableLogEvent event = event("Order {} placed", List.of(17), Map.of(RedisLogContext.MDC_KEY, "User.alice",
				"traceId", "trace-1"));
		LogRecord record = capture.capture(event);
		// Log4j2 reuses the event, its message and its context data for the next call.
		MutableLogEvent reused = event;
		reused.clear();
		reused.setLevel(Level.ERROR);
		reused.setThreadName("other");
		reused.setMessage(reusableMessage("Order {} cancelled", List.of(99)));
		((StringMap) reused.getContextData()).putValue("traceId", "trace-2");
		assertThat(record.message()).isEqualTo("INFO [http-nio-8080-exec-1] trace-1 Order 17 placed");
		assertThat(record.contextId()).isEqualTo("User.alice");
		assertThat(record.mdc()).containsEntry("traceId", "trace-1");
		assertThat(record.level()).isEqualTo("INFO");
		assertThat(record.thread()).isEqualTo("http-nio-8080-exec-1");
	}

	@Test
	void recordToLayOutLaterHoldsTheCopyAndTheLayoutAsValues() {
		Log4j2EventCapture capture = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"),
				1_000);
		MutableLogEvent event = event("Order {} placed", List.of(17), Map.of("traceId", "trace-1"));
		LogRecord record = capture.capture(event);
		assertThat(record.content()).isInstanceOfSatisfying(LogMessage.Deferred.class,
				(deferred) -> assertThat(deferred.layout()).isSameAs(capture));
		assertThat(record).isEqualTo(capture.capture(event)).hasSameHashCodeAs(capture.capture(event));
		assertThat(record.toString()).contains("Order 17 placed", "trace-1").doesNotContain("$$Lambda");
		event.setMessage(reusableMessage("Order {} placed", List.of(18)));
		assertThat(record).isNotEqualTo(capture.capture(event));
	}

	@Test
	void oversizedMessageIsTruncatedWithAMarker() {
		Log4j2EventCapture capture = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"), 10);
		LogRecord record = capture.capture(event("{}", List.of("x".repeat(25)), Map.of()));
		assertThat(record.message()).isEqualTo("xxxxxxxxxx... [truncated 15 characters]");
	}

	@Test
	void exceptionIsCapturedWithItsStackTrace() {
		Log4j2EventCapture capture = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"),
				1_000);
		MutableLogEvent event = event("failed", List.of(), Map.of());
		event.setThrown(new IllegalStateException("boom"));
		LogRecord record = capture.capture(event);
		assertThat(record.exception()).isNotNull();
		assertThat(record.exception().className()).isEqualTo(IllegalStateException.class.getName());
		assertThat(record.exception().message()).isEqualTo("boom");
		assertThat(record.exception().stackTrace()).contains("at io.github.redislog.log4j2.Log4j2EventCaptureTests");
	}

	private static MutableLogEvent event(String pattern, List<Object> arguments, Map<String, String> contextData) {
		MutableLogEvent event = new MutableLogEvent();
		event.setLoggerName("com.example.orders.OrderService");
		event.setLevel(Level.INFO);
		event.setThreadName("http-nio-8080-exec-1");
		event.setMessage(reusableMessage(pattern, arguments));
		StringMap data = ContextDataFactory.createContextData();
		new HashMap<>(contextData).forEach(data::putValue);
		event.setContextData(data);
		event.setTimeMillis(System.currentTimeMillis());
		return event;
	}

	private static ReusableParameterizedMessage reusableMessage(String pattern, List<Object> arguments) {
		return new ReusableParameterizedMessage().set(pattern, arguments.toArray());
	}

}
