package io.github.redislog.log4j2;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.capture.MessageText;
import io.github.redislog.delivery.JsonLogPayloadWriter;
import io.github.redislog.delivery.LogMessage;
import io.github.redislog.delivery.LogRecord;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.impl.ContextDataFactory;
import org.apache.logging.log4j.core.impl.MutableLogEvent;
import org.apache.logging.log4j.core.time.MutableInstant;
import org.apache.logging.log4j.message.ReusableParameterizedMessage;
import org.apache.logging.log4j.message.StringMapMessage;
import org.apache.logging.log4j.util.StringMap;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

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
	void patternLaysOutAsLog4j2DoesWithoutTheTrailingLineBreaks() {
		String pattern = "%-5p [%t] %c{1} : %m%n%xEx";
		Layout<String> layout = Log4j2MessageLayout.pattern(this.loggerContext, pattern);
		Log4j2EventCapture capture = new Log4j2EventCapture(layout, 100_000);
		MutableLogEvent failed = event("Payment failed", List.of(), Map.of());
		failed.setThrown(new IllegalStateException("card declined"));
		for (MutableLogEvent event : List.of(event("Order {} shipped", List.of(42), Map.of()), failed,
				event("two\nlines\r\n", List.of(), Map.of()))) {
			String expected = layout.toSerializable(event).stripTrailing();
			assertThat(capture.layOut(event)).isEqualTo(expected).doesNotEndWith("\n");
		}
	}

	@Test
	void oversizedMessageIsTruncatedWithAMarker() {
		Log4j2EventCapture capture = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"), 10);
		LogRecord record = capture.capture(event("{}", List.of("x".repeat(25)), Map.of()));
		assertThat(record.message()).isEqualTo("xxxxxxxxxx... [truncated 15 characters]");
	}

	@Test
	void recordKeepsFrozenContextDataAsItIsAndReadsItsMdcFromIt() {
		Log4j2EventCapture capture = new Log4j2EventCapture(
				Log4j2MessageLayout.pattern(this.loggerContext, "%X{traceId} %X{attempt} %m"), 1_000);
		MutableLogEvent event = event("Order {} placed", List.of(17), Map.of());
		StringMap frozen = ContextDataFactory.createContextData();
		frozen.putValue(RedisLogContext.MDC_KEY, "User.alice");
		frozen.putValue(RedisLogContext.OWNER_MDC_KEY, "User.bob");
		frozen.putValue("traceId", "trace-1");
		frozen.putValue("attempt", 3);
		frozen.freeze();
		event.setContextData(frozen);
		LogRecord record = capture.capture(event);
		assertThat(((Log4j2EventSnapshot) record.content()).getContextData()).isSameAs(frozen);
		assertThat(record.mdc()).isEqualTo(Map.of(RedisLogContext.MDC_KEY, "User.alice", RedisLogContext.OWNER_MDC_KEY,
				"User.bob", "traceId", "trace-1", "attempt", "3"));
		assertThat(record.mdc()).hasSameHashCodeAs(new HashMap<>(record.mdc()));
		assertThat(record.contextId()).isEqualTo("User.alice");
		assertThat(record.ownerId()).isEqualTo("User.bob");
		assertThat(record.message()).isEqualTo("trace-1 3 Order 17 placed");
		assertThat(publishedMdc(record))
			.containsExactlyInAnyOrderEntriesOf(Map.of("traceId", "trace-1", "attempt", "3"));
	}

	@Test
	void recordCopiesContextDataThatLog4j2MayReuse() {
		Log4j2EventCapture capture = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"),
				1_000);
		MutableLogEvent event = event("m", List.of(), Map.of("traceId", "trace-1"));
		LogRecord record = capture.capture(event);
		((StringMap) event.getContextData()).putValue("traceId", "trace-2");
		((StringMap) event.getContextData()).putValue("added", "later");
		assertThat(record.mdc()).isEqualTo(Map.of("traceId", "trace-1"));
		assertThat(((Log4j2EventSnapshot) record.content()).getContextData().isFrozen()).isTrue();
	}

	@Test
	void estimatesBytesOfTheMessageAndTheMdcAsTheLogbackCaptureDoes() {
		Log4j2EventCapture capture = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"),
				1_000);
		LogRecord record = capture.capture(event("Order {} placed", List.of(17), Map.of("traceId", "trace-1")));
		assertThat(record.estimatedBytes())
			.isEqualTo(MessageText
				.estimatedBytes("Order 17 placed".length() + "traceId".length() + "trace-1".length()));
	}

	@Test
	void structuredMessageKeepsItsStructureForTheLayout() {
		Log4j2EventCapture capture = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"),
				1_000);
		StringMapMessage message = new StringMapMessage().with("order", "17");
		MutableLogEvent event = event("m", List.of(), Map.of());
		event.setMessage(message);
		LogRecord record = capture.capture(event);
		assertThat(((Log4j2EventSnapshot) record.content()).getMessage()).isSameAs(message);
		assertThat(record.message()).isEqualTo(message.getFormattedMessage());
		assertThat(record).isEqualTo(capture.capture(event));
	}

	@Test
	void laterLayoutReadsTheTimeOfTheLogCall() {
		Log4j2EventCapture capture = new Log4j2EventCapture(
				Log4j2MessageLayout.pattern(this.loggerContext, "%d{HH:mm:ss.SSSSSSSSS}{UTC} %m"), 1_000);
		MutableLogEvent event = event("m", List.of(), Map.of());
		// A mutable event's instant is its own, reused for the next call.
		((MutableInstant) event.getInstant()).initFromEpochSecond(1_700_000_000L, 123_456_789);
		LogRecord record = capture.capture(event);
		LogEvent snapshot = (Log4j2EventSnapshot) record.content();
		assertThat(snapshot.getTimeMillis()).isEqualTo(event.getTimeMillis()).isEqualTo(1_700_000_000_123L);
		assertThat(snapshot.getInstant()).isEqualTo(event.getInstant());
		assertThat(record.timestamp()).isEqualTo(java.time.Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
		assertThat(record.message()).isEqualTo("22:13:20.123456789 m");
	}

	@Test
	void recordsOfTheSameEventLaidOutByDifferentLayoutsDiffer() {
		MutableLogEvent event = event("Order {} placed", List.of(17), Map.of());
		LogRecord byOne = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"), 1_000)
			.capture(event);
		LogRecord byOther = new Log4j2EventCapture(Log4j2MessageLayout.pattern(this.loggerContext, "%m"), 1_000)
			.capture(event);
		assertThat(byOne).isNotEqualTo(byOther);
	}

	private static Map<String, Object> publishedMdc(LogRecord record) {
		Map<?, ?> payload = new JsonMapper().readValue(new JsonLogPayloadWriter(null).write(record), Map.class);
		Map<String, Object> mdc = new HashMap<>();
		if (payload.get("mdc") instanceof Map<?, ?> published) {
			published.forEach((key, value) -> mdc.put((String) key, value));
		}
		return mdc;
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
