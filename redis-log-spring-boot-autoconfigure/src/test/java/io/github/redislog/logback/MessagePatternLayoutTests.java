package io.github.redislog.logback;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MessagePatternLayout}.
 *
 * @author Redis Log contributors
 */
class MessagePatternLayoutTests {

	private final LoggerContext loggerContext = LogEventCaptureTests.createLoggerContext();

	private final Logger logger = this.loggerContext.getLogger("com.example.Orders");

	@AfterEach
	void stopLoggerContext() {
		this.loggerContext.stop();
	}

	@Test
	void laysOutAsPatternLayoutDoesWithoutTheTrailingLineBreaks() {
		String pattern = "%-5level [%thread] %logger{20} : %m%n%wEx";
		PatternLayout ours = MessageLayout.create(this.loggerContext, pattern);
		PatternLayout logbacks = logbackLayout(pattern);
		for (ILoggingEvent event : List.of(event("Order {} shipped", null, 42),
				event("Payment failed", new IllegalStateException("card declined")), event("two\nlines\r\n", null))) {
			String expected = logbacks.doLayout(event).stripTrailing();
			assertThat(ours.doLayout(event)).isEqualTo(expected).doesNotEndWith("\n");
		}
	}

	@Test
	void addsTheExceptionToPatternsWithoutOneAsPatternLayoutDoes() {
		PatternLayout layout = MessageLayout.create(this.loggerContext, "%m");
		String laidOut = layout.doLayout(event("Payment failed", new IllegalStateException("card declined")));
		assertThat(laidOut).startsWith("Payment failed")
			.contains("java.lang.IllegalStateException: card declined")
			.contains("at " + getClass().getName());
	}

	@Test
	void aLongRecordLeavesNothingOfItselfInTheNextOne() {
		PatternLayout layout = MessageLayout.create(this.loggerContext, "%m%n");
		String longMessage = "x".repeat(40_000);
		assertThat(layout.doLayout(event(longMessage, null))).isEqualTo(longMessage);
		assertThat(layout.doLayout(event("short", null))).isEqualTo("short");
		assertThat(layout.doLayout(event("", null))).isEmpty();
	}

	@Test
	void threadsLayingOutAtOnceEachGetTheirOwnRecord() throws Exception {
		PatternLayout layout = MessageLayout.create(this.loggerContext, "%m%n");
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Boolean>> threads = IntStream.range(0, 4)
			.mapToObj((thread) -> CompletableFuture.supplyAsync(() -> {
				await(start);
				for (int i = 0; i < 20_000; i++) {
					String message = "thread " + thread + " record " + i;
					if (!layout.doLayout(event(message, null)).equals(message)) {
						return false;
					}
				}
				return true;
			}))
			.toList();
		start.countDown();
		for (CompletableFuture<Boolean> thread : threads) {
			assertThat(thread.get(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	private PatternLayout logbackLayout(String pattern) {
		PatternLayout layout = new PatternLayout();
		layout.setContext(this.loggerContext);
		layout.getInstanceConverterMap().put("wEx",
				org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter::new);
		layout.setPattern(pattern);
		layout.start();
		return layout;
	}

	private LoggingEvent event(String message, @Nullable Throwable throwable, Object... arguments) {
		LoggingEvent event = new LoggingEvent(Logger.class.getName(), this.logger, Level.INFO, message, throwable,
				(arguments.length > 0) ? arguments : null);
		event.setThreadName("main");
		return event;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
