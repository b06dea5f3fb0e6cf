package io.github.redislog.logback;

import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;

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

	private PatternLayout logbackLayout(String pattern) {
		PatternLayout layout = new PatternLayout();
		layout.setContext(this.loggerContext);
		layout.getInstanceConverterMap().put("wEx", ExtendedWhitespaceThrowableProxyConverter::new);
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

}
