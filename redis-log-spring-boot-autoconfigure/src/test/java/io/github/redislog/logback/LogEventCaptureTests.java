package io.github.redislog.logback;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import io.github.redislog.RedisLogContext;
import io.github.redislog.capture.MessageText;
import io.github.redislog.delivery.JsonLogPayloadWriter;
import io.github.redislog.delivery.LogMessage;
import io.github.redislog.delivery.LogRecord;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.event.KeyValuePair;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

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
	void keyValuesLaidOutLaterShowTheirValuesAtTheLogCall() {
		StringBuilder cart = new StringBuilder("3 items");
		LoggingEvent event = event(Level.INFO, "checkout", null);
		event.addKeyValuePair(new KeyValuePair("cart", cart));
		event.addKeyValuePair(new KeyValuePair("total", 42));
		LogRecord record = new LogEventCapture(MessageLayout.create(this.loggerContext, "%m %kvp"), 1_000)
			.capture(event);
		cart.replace(0, cart.length(), "emptied after the call");
		assertThat(record.message()).isEqualTo("checkout cart=\"3 items\" total=\"42\"");
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
		assertThat(record.mdc()).isSameAs(mdc);
		assertThat(publishedMdc(record)).containsExactly(Map.entry("traceId", "4bf92f3577b34da6"));
		assertThat(mdc).containsKey(RedisLogContext.MDC_KEY);
	}

	@Test
	void capturesMdcOfLoggingThread() {
		this.loggerContext.getMDCAdapter().put(RedisLogContext.MDC_KEY, "job_42");
		this.loggerContext.getMDCAdapter().put("requestId", "r-1");
		LogRecord record;
		try {
			record = capture(1_000, event(Level.INFO, "m", null));
		}
		finally {
			this.loggerContext.getMDCAdapter().clear();
		}
		assertThat(record.contextId()).isEqualTo("job_42");
		assertThat(publishedMdc(record)).containsExactly(Map.entry("requestId", "r-1"));
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
	void estimatesBytesOfMdcItHolds() {
		LoggingEvent event = event(Level.INFO, "m", null);
		event.setMDCPropertyMap(Map.of(RedisLogContext.MDC_KEY, "User.alice", "huge", "v".repeat(100_000)));
		assertThat(capture(1_000, event).estimatedBytes()).isGreaterThanOrEqualTo(2L * 100_000);
	}

	@Test
	void estimatesBytesOfTheMessageAndTheMdcAsTheLog4j2CaptureDoes() {
		LoggingEvent event = event(Level.INFO, "Order {} placed", null, 17);
		event.setMDCPropertyMap(Map.of("traceId", "trace-1"));
		assertThat(capture(1_000, event).estimatedBytes())
			.isEqualTo(MessageText
				.estimatedBytes("Order 17 placed".length() + "traceId".length() + "trace-1".length()));
	}

	@Test
	void estimateChargesEachRecordTheMdcSnapshotItSharesWithOthers() {
		Map<String, String> shared = Map.of("traceId", "4bf92f3577b34da6");
		long withoutMdc = capture(1_000, event(Level.INFO, "m", null)).estimatedBytes();
		assertThat(capture(1_000, eventWithMdc(shared)).estimatedBytes()).isEqualTo(withoutMdc + 2 * 23);
		assertThat(capture(1_000, eventWithMdc(shared)).estimatedBytes()).isEqualTo(withoutMdc + 2 * 23);
		assertThat(capture(1_000, eventWithMdc(Map.of("traceId", "t".repeat(1_000)))).estimatedBytes())
			.isEqualTo(withoutMdc + 2 * 1_007);
		assertThat(capture(1_000, eventWithMdc(shared)).estimatedBytes()).isEqualTo(withoutMdc + 2 * 23);
	}

	@Test
	void laterLayoutReadsTheTimeOfTheLogCall() {
		LoggingEvent event = event(Level.INFO, "m", null);
		event.setInstant(Instant.ofEpochSecond(1_700_000_000L, 123_456_789));
		LogRecord record = new LogEventCapture(MessageLayout.create(this.loggerContext, "%d{HH:mm:ss.SSS}%micros %m"),
				1_000)
			.capture(event);
		ILoggingEvent snapshot = ((LoggingEventSnapshot) record.content()).event();
		assertThat(snapshot.getTimeStamp()).isEqualTo(event.getTimeStamp()).isEqualTo(1_700_000_000_123L);
		assertThat(snapshot.getNanoseconds()).isEqualTo(event.getNanoseconds()).isEqualTo(123_456_789);
		assertThat(snapshot.getInstant()).isEqualTo(event.getInstant());
		assertThat(record.message()).endsWith(".123456 m");
	}

	@Test
	void recordsOfTheSameEventLaidOutByDifferentLayoutsDiffer() {
		LoggingEvent event = event(Level.INFO, "Order {} shipped", null, 42);
		LogRecord byOne = new LogEventCapture(TestLayout.start(this.loggerContext, "%m", null), 1_000).capture(event);
		LogRecord byOther = new LogEventCapture(TestLayout.start(this.loggerContext, "%m", null), 1_000)
			.capture(event);
		assertThat(byOne).isNotEqualTo(byOther);
	}

	@Test
	void queuedRecordKeepsNoArgumentOfItsMessage() {
		Object argument = new Object() {

			@Override
			public String toString() {
				return "order 42";
			}

		};
		WeakReference<Object> reachable = new WeakReference<>(argument);
		LogRecord record = new LogEventCapture(MessageLayout.create(this.loggerContext, "%m"), 1_000)
			.capture(event(Level.INFO, "Shipped {}", null, argument));
		argument = null;
		await().atMost(Duration.ofSeconds(10)).until(() -> {
			System.gc();
			return reachable.get() == null;
		});
		assertThat(record.message()).isEqualTo("Shipped order 42");
	}

	@Test
	void laysOutMessageOnlyWhenAskedFor() {
		TestLayout layout = TestLayout.start(this.loggerContext, "%m%n", null);
		LogRecord record = new LogEventCapture(layout, 1_000)
			.capture(event(Level.INFO, "Order {} shipped", null, 42));
		assertThat(layout.calls).hasValue(0);
		assertThat(record.message()).isEqualTo("Order 42 shipped");
		assertThat(layout.calls).hasValue(1);
	}

	@Test
	void formatsArgumentsAndTakesThreadNameOnLoggingThreadForALaterLayout() throws Exception {
		StringBuilder argument = new StringBuilder("at log time");
		LoggingEvent event = event(Level.INFO, "{}", null, argument);
		LogRecord record = new LogEventCapture(MessageLayout.create(this.loggerContext, "[%thread] %m"), 1_000)
			.capture(event);
		argument.replace(0, argument.length(), "changed later");
		assertThat(messageOnAnotherThread(record)).isEqualTo("[" + Thread.currentThread().getName() + "] at log time");
	}

	@Test
	void keepsMdcOfEventAsItIs() {
		LoggingEvent event = event(Level.INFO, "m", null);
		event.setMDCPropertyMap(Map.of(RedisLogContext.MDC_KEY, "User.alice", RedisLogContext.OWNER_MDC_KEY,
				"User.bob", "traceId", "4bf92f3577b34da6"));
		LogRecord record = capture(1_000, event);
		assertThat(record.mdc()).isSameAs(event.getMDCPropertyMap());
		assertThat(record.contextId()).isEqualTo("User.alice");
		assertThat(record.ownerId()).isEqualTo("User.bob");
		assertThat(publishedMdc(record)).containsExactly(Map.entry("traceId", "4bf92f3577b34da6"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "%L %m", "%line", "%M", "%method", "%F", "%file", "%C", "%class{0}", "%caller{2}",
			"%-20(%d %M) %m", "%replace(%caller){'\\n', ' '}" })
	void takesCallerDataOnLoggingThreadWhenPatternPrintsIt(String pattern) {
		LoggingEvent event = event(Level.INFO, "m", null);
		new LogEventCapture(MessageLayout.create(this.loggerContext, pattern), 1_000).capture(event);
		assertThat(event.hasCallerData()).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "%m", "%d %-5level [%thread] %logger{36} %X{traceId} %m%n%wEx", "%msg", "%logger{0}",
			"%contextName %replace(%m){'x', 'y'}", MessageLayout.DEFAULT_PATTERN })
	void leavesCallerDataAloneWhenPatternDoesNotPrintIt(String pattern) {
		LoggingEvent event = event(Level.INFO, "m", null);
		new LogEventCapture(MessageLayout.create(this.loggerContext, pattern), 1_000).capture(event);
		assertThat(event.hasCallerData()).isFalse();
	}

	@Test
	void recordToLayOutLaterHoldsTheSnapshotAndTheLayoutAsValues() {
		LogEventCapture capture = new LogEventCapture(TestLayout.start(this.loggerContext, "%m%n", null), 1_000);
		LoggingEvent event = event(Level.INFO, "Order {} shipped", null, 42);
		event.setMDCPropertyMap(Map.of("traceId", "4bf92f3577b34da6"));
		LogRecord record = capture.capture(event);
		assertThat(record.content()).isInstanceOfSatisfying(LogMessage.Deferred.class,
				(deferred) -> assertThat(deferred.layout()).isSameAs(capture));
		assertThat(record).isEqualTo(capture.capture(event)).hasSameHashCodeAs(capture.capture(event));
		assertThat(record).isNotEqualTo(capture.capture(event(Level.INFO, "Order {} shipped", null, 43)));
		assertThat(record.toString()).contains("Order 42 shipped", "traceId=4bf92f3577b34da6", "(\"%m%n\")")
			.doesNotContain("$$Lambda");
	}

	@Test
	void recordLaidOutAtOnceHoldsItsText() {
		IllegalStateException boom = new IllegalStateException("boom");
		LoggingEvent event = event(Level.ERROR, "failed", boom);
		LogRecord record = capture(100_000, event);
		assertThat(record.content()).isInstanceOfSatisfying(LogMessage.LaidOut.class,
				(laidOut) -> assertThat(laidOut.text()).startsWith("failed"));
		assertThat(record).isEqualTo(capture(100_000, event)).hasSameHashCodeAs(capture(100_000, event));
		assertThat(record).isNotEqualTo(capture(100_000, event(Level.ERROR, "failed again", boom)));
		assertThat(record.toString()).contains("failed", "java.lang.IllegalStateException: boom");
	}

	@Test
	void laysOutEventWithExceptionAtOnce() {
		TestLayout layout = TestLayout.start(this.loggerContext, "%m%n", null);
		LogRecord record = new LogEventCapture(layout, 100_000)
			.capture(event(Level.ERROR, "failed", new IllegalStateException("boom")));
		assertThat(layout.calls).hasValue(1);
		assertThat(record.message()).startsWith("failed").contains("java.lang.IllegalStateException: boom");
		assertThat(layout.calls).hasValue(1);
	}

	@Test
	void laysOutMessageLongerThanMaxAtOnceAndHoldsOnlyItsTruncatedText() {
		TestLayout layout = TestLayout.start(this.loggerContext, "%m%n", null);
		LogRecord record = new LogEventCapture(layout, 1_000).capture(event(Level.INFO, "z".repeat(100_000), null));
		assertThat(layout.calls).hasValue(1);
		assertThat(record.message()).isEqualTo("z".repeat(1_000) + "... [truncated 99000 characters]");
		assertThat(record.estimatedBytes()).isLessThan(2L * 100_000);
	}

	@Test
	void layoutFailureIsThrownWhenMessageIsAskedFor() {
		IllegalStateException failure = new IllegalStateException("converter failed");
		LogRecord record = new LogEventCapture(TestLayout.start(this.loggerContext, "%m", failure), 1_000)
			.capture(event(Level.INFO, "m", null));
		assertThatIllegalStateException().isThrownBy(record::message).isSameAs(failure);
	}

	@ParameterizedTest
	@MethodSource("layoutErrors")
	void layoutErrorIsThrownAsFailureOfItsRecordOnly(Error error) {
		LogRecord record = new LogEventCapture(TestLayout.start(this.loggerContext, "%m", error), 1_000)
			.capture(event(Level.INFO, "m", null));
		assertThatIllegalStateException().isThrownBy(record::message).withCause(error);
	}

	static Stream<Error> layoutErrors() {
		return Stream.of(new NoClassDefFoundError("com/example/Unloaded"), new StackOverflowError(),
				new AssertionError("converter's own check"), new ExceptionInInitializerError("static init"));
	}

	@Test
	void layoutOutOfMemoryErrorIsNotHidden() {
		OutOfMemoryError error = new OutOfMemoryError("Java heap space");
		LogRecord record = new LogEventCapture(TestLayout.start(this.loggerContext, "%m", error), 1_000)
			.capture(event(Level.INFO, "m", null));
		assertThatExceptionOfType(OutOfMemoryError.class).isThrownBy(record::message).isSameAs(error);
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

	private LoggingEvent eventWithMdc(Map<String, String> mdc) {
		LoggingEvent event = event(Level.INFO, "m", null);
		event.setMDCPropertyMap(mdc);
		return event;
	}

	private LoggingEvent event(Level level, String message, @Nullable Throwable throwable, Object... arguments) {
		return new LoggingEvent(Logger.class.getName(), this.logger, level, message, throwable,
				(arguments.length > 0) ? arguments : null);
	}

	private static String messageOnAnotherThread(LogRecord record) throws Exception {
		return CompletableFuture.supplyAsync(record::message).get(10, TimeUnit.SECONDS);
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

	/**
	 * Return the MDC as the default payload writer publishes it.
	 * @param record the record
	 * @return the {@code mdc} field of its payload, empty when it has none
	 */
	static Map<String, Object> publishedMdc(LogRecord record) {
		Map<?, ?> payload = new JsonMapper().readValue(new JsonLogPayloadWriter(null).write(record), Map.class);
		Map<String, Object> mdc = new HashMap<>();
		if (payload.get("mdc") instanceof Map<?, ?> published) {
			published.forEach((key, value) -> mdc.put((String) key, value));
		}
		return mdc;
	}

	static LoggerContext createLoggerContext() {
		LoggerContext loggerContext = new LoggerContext();
		loggerContext.setName("test-" + System.identityHashCode(loggerContext));
		loggerContext.setMDCAdapter(new LogbackMDCAdapter());
		loggerContext.start();
		return loggerContext;
	}

	/**
	 * A pattern layout that counts its calls and, if told to, fails.
	 */
	static final class TestLayout extends PatternLayout {

		final AtomicInteger calls = new AtomicInteger();

		private final @Nullable Throwable failure;

		private TestLayout(@Nullable Throwable failure) {
			this.failure = failure;
		}

		static TestLayout start(LoggerContext context, String pattern, @Nullable Throwable failure) {
			TestLayout layout = new TestLayout(failure);
			layout.setContext(context);
			layout.setPattern(pattern);
			layout.start();
			return layout;
		}

		@Override
		public String doLayout(ILoggingEvent event) {
			this.calls.incrementAndGet();
			if (this.failure instanceof RuntimeException ex) {
				throw ex;
			}
			if (this.failure instanceof Error error) {
				throw error;
			}
			return super.doLayout(event);
		}

	}

}
