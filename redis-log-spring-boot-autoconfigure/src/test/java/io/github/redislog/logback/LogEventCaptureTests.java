package io.github.redislog.logback;

import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.LogRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LogEventCapture} and {@link MessageLayout}.
 */
class LogEventCaptureTests {

	private static final String MARKER_START = "... [truncated ";

	private final LoggerContext loggerContext = createLoggerContext();

	private final Logger logger = this.loggerContext.getLogger("com.example.Orders");

	private final PatternLayout layout = MessageLayout.create(this.loggerContext, "%m%n");

	@AfterEach
	void stopLoggerContext() {
		this.loggerContext.stop();
	}

	@Test
	void formatsMessageWithArgumentsAndStripsTrailingLineBreak() {
		LogRecord record = capture(1_000, event(Level.INFO, "Order {} shipped to {}", null, 42, "Oslo"));
		assertThat(record.message()).isEqualTo("Order 42 shipped to Oslo");
	}

	@Test
	void stripsAllTrailingLineBreaksButKeepsInnerOnes() {
		LogRecord record = capture(1_000, event(Level.INFO, "line 1\nline 2\r\n\n", null));
		assertThat(record.message()).isEqualTo("line 1\nline 2");
	}

	@Test
	void capturesLevelLoggerThreadAndTimestamp() {
		LoggingEvent event = event(Level.WARN, "careful", null);
		Instant instant = Instant.ofEpochSecond(1764205825, 123456789);
		event.setInstant(instant);
		event.setThreadName("http-nio-8080-exec-3");
		LogRecord record = capture(1_000, event);
		assertThat(record.level()).isEqualTo("WARN");
		assertThat(record.logger()).isEqualTo("com.example.Orders");
		assertThat(record.thread()).isEqualTo("http-nio-8080-exec-3");
		assertThat(record.timestamp()).isEqualTo(instant);
	}

	@Test
	void keepsMessageOfMaxLength() {
		LogRecord record = capture(10, event(Level.INFO, "0123456789", null));
		assertThat(record.message()).isEqualTo("0123456789");
	}

	@Test
	void truncatesMessageLongerThanMaxWithMarker() {
		LogRecord record = capture(10, event(Level.INFO, "0123456789ABC", null));
		assertThat(record.message()).isEqualTo("0123456789... [truncated 3 characters]");
	}

	@Test
	void truncatesLongMessageToMaxPlusMarker() {
		String message = "x".repeat(100_000);
		LogRecord record = capture(1_000, event(Level.INFO, message, null));
		assertThat(record.message()).isEqualTo("x".repeat(1_000) + "... [truncated 99000 characters]");
	}

	@Test
	void neverSplitsSurrogatePairWhenTruncating() {
		String message = "012345678\uD83D\uDE00xyz";
		LogRecord record = capture(10, event(Level.INFO, message, null));
		assertThat(record.message()).isEqualTo("012345678... [truncated 5 characters]");
		assertNoLoneSurrogates(record.message());
	}

	@Test
	void keepsSurrogatePairThatEndsExactlyAtMax() {
		String message = "01234567\uD83D\uDE00xyz";
		LogRecord record = capture(10, event(Level.INFO, message, null));
		assertThat(record.message()).isEqualTo("01234567\uD83D\uDE00... [truncated 3 characters]");
		assertNoLoneSurrogates(record.message());
	}

	@Test
	void neverSplitsSurrogatePairsAtAnyMax() {
		String message = "\uD83D\uDE00".repeat(50);
		for (int max = 1; max < message.length(); max++) {
			String captured = capture(max, event(Level.INFO, message, null)).message();
			String kept = captured.substring(0, captured.indexOf(MARKER_START));
			assertThat(kept.length()).isLessThanOrEqualTo(max).isGreaterThanOrEqualTo(max - 1);
			assertNoLoneSurrogates(kept);
			assertThat(captured).endsWith("[truncated " + (message.length() - kept.length()) + " characters]");
		}
	}

	@Test
	void copiesMdc() {
		Map<String, String> mdc = Map.of("traceId", "4bf92f3577b34da6", "tenant", "acme");
		LoggingEvent event = event(Level.INFO, "m", null);
		event.setMDCPropertyMap(mdc);
		LogRecord record = capture(1_000, event);
		assertThat(record.mdc()).containsExactlyInAnyOrderEntriesOf(mdc);
		assertThat(record.contextId()).isNull();
	}

	@Test
	void movesContextEntryOfMdcToContextId() {
		Map<String, String> mdc = new HashMap<>();
		mdc.put("traceId", "4bf92f3577b34da6");
		mdc.put(RedisLogContext.MDC_KEY, "User.alice");
		LoggingEvent event = event(Level.INFO, "m", null);
		event.setMDCPropertyMap(mdc);
		LogRecord record = capture(1_000, event);
		assertThat(record.contextId()).isEqualTo("User.alice");
		assertThat(record.mdc()).containsExactly(Map.entry("traceId", "4bf92f3577b34da6"));
		assertThat(mdc).containsKey(RedisLogContext.MDC_KEY);
	}

	@Test
	void capturesMdcOfLoggingThread() {
		this.loggerContext.getMDCAdapter().put(RedisLogContext.MDC_KEY, "job_42");
		this.loggerContext.getMDCAdapter().put("requestId", "r-1");
		try {
			LoggingEvent event = event(Level.INFO, "m", null);
			LogRecord record = capture(1_000, event);
			assertThat(record.contextId()).isEqualTo("job_42");
			assertThat(record.mdc()).containsExactly(Map.entry("requestId", "r-1"));
		}
		finally {
			this.loggerContext.getMDCAdapter().clear();
		}
	}

	@Test
	void capturesEmptyMdcWithoutContext() {
		LogRecord record = capture(1_000, event(Level.INFO, "m", null));
		assertThat(record.mdc()).isEmpty();
		assertThat(record.contextId()).isNull();
	}

	@Test
	void capturesExceptionWithClassMessageAndStackTrace() {
		IllegalStateException exception = new IllegalStateException("boom", new IOException("disk full"));
		LogRecord record = capture(100_000, event(Level.ERROR, "Shipping failed", exception));
		assertThat(record.message()).startsWith("Shipping failed");
		assertThat(record.exception()).isNotNull();
		LogRecord.ExceptionInfo captured = record.exception();
		assertThat(captured.className()).isEqualTo("java.lang.IllegalStateException");
		assertThat(captured.message()).isEqualTo("boom");
		assertThat(captured.stackTrace()).startsWith("java.lang.IllegalStateException: boom")
			.contains("\tat " + LogEventCaptureTests.class.getName())
			.contains("Caused by: java.io.IOException: disk full");
	}

	@Test
	void capturesExceptionWithoutMessage() {
		LogRecord record = capture(100_000, event(Level.ERROR, "failed", new NullPointerException()));
		assertThat(record.exception()).isNotNull();
		assertThat(record.exception().className()).isEqualTo("java.lang.NullPointerException");
		assertThat(record.exception().message()).isNull();
	}

	@Test
	void hasNoExceptionWhenNoneWasLogged() {
		assertThat(capture(1_000, event(Level.INFO, "m", null)).exception()).isNull();
	}

	@Test
	void truncatesStackTraceLongerThanMax() {
		LogRecord record = capture(100, event(Level.ERROR, "failed", new IllegalStateException("boom")));
		assertThat(record.exception()).isNotNull();
		String stackTrace = record.exception().stackTrace();
		assertThat(stackTrace).startsWith("java.lang.IllegalStateException: boom").contains(MARKER_START);
		assertThat(stackTrace.indexOf(MARKER_START)).isLessThanOrEqualTo(100);
	}

	@Test
	void truncatesExceptionMessageLongerThanMax() {
		String message = "y".repeat(10_000);
		LogRecord record = capture(100, event(Level.ERROR, "failed", new IllegalStateException(message)));
		assertThat(record.exception()).isNotNull();
		assertThat(record.exception().message()).isEqualTo("y".repeat(100) + "... [truncated 9900 characters]");
	}

	@Test
	void estimatesBytesOfTextItHolds() {
		LogRecord small = capture(1_000_000, event(Level.INFO, "m", null));
		LogRecord large = capture(1_000_000, event(Level.INFO, "z".repeat(100_000), null));
		assertThat(small.estimatedBytes()).isPositive();
		assertThat(large.estimatedBytes()).isGreaterThanOrEqualTo(2L * 100_000);
	}

	@Test
	void createsLayoutFromDefaultPattern() {
		PatternLayout layout = MessageLayout.create(this.loggerContext, MessageLayout.DEFAULT_PATTERN);
		assertThat(layout.isStarted()).isTrue();
		String formatted = layout.doLayout(event(Level.INFO, "Order {} shipped", null, 42));
		assertThat(formatted).contains(" INFO ").contains("com.example.Orders").contains(" : Order 42 shipped");
	}

	@ParameterizedTest
	@ValueSource(strings = { "%d{", "%nosuchword", "%m %nosuchword", "%m%", "%d{yyyy} %(" })
	void rejectsUnparsablePattern(String pattern) {
		assertThatIllegalArgumentException().isThrownBy(() -> MessageLayout.create(this.loggerContext, pattern));
	}

	@Test
	void rejectsUnparsablePatternAfterEarlierFailures() {
		assertThatIllegalArgumentException().isThrownBy(() -> MessageLayout.create(this.loggerContext, "%m%"));
		assertThat(MessageLayout.create(this.loggerContext, "%m%n").isStarted()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> MessageLayout.create(this.loggerContext, "%m%"));
	}

	private LogRecord capture(int maxMessageLength, LoggingEvent event) {
		return new LogEventCapture(this.layout, maxMessageLength).capture(event);
	}

	private LoggingEvent event(Level level, String message, @Nullable Throwable throwable, Object... arguments) {
		return new LoggingEvent(Logger.class.getName(), this.logger, level, message, throwable,
				(arguments.length > 0) ? arguments : null);
	}

	private static void assertNoLoneSurrogates(String text) {
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			if (Character.isHighSurrogate(c)) {
				assertThat(i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1)))
					.as("high surrogate at %d of %s is followed by its low surrogate", i, text)
					.isTrue();
				i++;
			}
			else {
				assertThat(Character.isLowSurrogate(c)).as("lone low surrogate at %d of %s", i, text).isFalse();
			}
		}
	}

	static LoggerContext createLoggerContext() {
		LoggerContext loggerContext = new LoggerContext();
		loggerContext.setName("test-" + System.identityHashCode(loggerContext));
		loggerContext.setMDCAdapter(new LogbackMDCAdapter());
		loggerContext.start();
		return loggerContext;
	}

}
