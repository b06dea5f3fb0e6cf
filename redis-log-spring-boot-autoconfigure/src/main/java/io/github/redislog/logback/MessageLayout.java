package io.github.redislog.logback;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.function.Supplier;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Layout;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ScanException;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;
import ch.qos.logback.core.util.OptionHelper;

import org.springframework.boot.logging.logback.ColorConverter;
import org.springframework.boot.logging.logback.CorrelationIdConverter;
import org.springframework.boot.logging.logback.EnclosedInSquareBracketsConverter;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.logging.logback.ExtendedWhitespaceThrowableProxyConverter;
import org.springframework.boot.logging.logback.WhitespaceThrowableProxyConverter;
import org.springframework.core.env.Environment;

/**
 * Builds the layout that formats the {@code message} field: a pattern, or one of Spring
 * Boot's structured formats, which then makes the whole payload.
 *
 * @author Redis Log contributors
 */
public final class MessageLayout {

	/**
	 * Default pattern: Spring Boot's file log layout (no ANSI colours), or
	 * {@code logging.pattern.file} when set, which Spring Boot exposes as
	 * {@code FILE_LOG_PATTERN}.
	 */
	public static final String DEFAULT_PATTERN = "${FILE_LOG_PATTERN:-%d{${LOG_DATEFORMAT_PATTERN:-yyyy-MM-dd'T'HH:mm:ss.SSSXXX}} "
			+ "${LOG_LEVEL_PATTERN:-%5p} ${PID:-} --- %esb(){APPLICATION_NAME}%esb{APPLICATION_GROUP}[%t] "
			+ "${LOG_CORRELATION_PATTERN:-}%-40.40logger{39} : %m%n${LOG_EXCEPTION_CONVERSION_WORD:-%wEx}}";

	// Spring Boot's conversion words, also for contexts configured without its defaults.xml.
	private static final Map<String, Supplier<DynamicConverter>> SPRING_BOOT_CONVERTERS = Map.of("clr",
			ColorConverter::new, "correlationId", CorrelationIdConverter::new, "esb",
			EnclosedInSquareBracketsConverter::new, "wex", WhitespaceThrowableProxyConverter::new, "wEx",
			ExtendedWhitespaceThrowableProxyConverter::new);

	private MessageLayout() {
	}

	/**
	 * Create and start a layout. Variables such as {@code ${PID}} are resolved from the
	 * Logback context and system properties.
	 * @param context the Logback context
	 * @param pattern the pattern
	 * @return the started layout
	 * @throws IllegalArgumentException if Logback cannot parse the pattern
	 */
	public static PatternLayout create(LoggerContext context, String pattern) {
		PatternLayout layout = new MessagePatternLayout();
		layout.setContext(context);
		layout.getInstanceConverterMap().putAll(SPRING_BOOT_CONVERTERS);
		layout.setPattern(resolveVariables(context, pattern));
		// Logback reports parse errors as statuses (of the parser as well as the layout)
		// and keeps going with '%PARSER_ERROR' in the output: collect them instead.
		List<String> errors = new CopyOnWriteArrayList<>();
		StatusListener errorCollector = (status) -> {
			if (status.getLevel() == Status.ERROR) {
				errors.add(status.getMessage());
			}
		};
		context.getStatusManager().add(errorCollector);
		try {
			layout.start();
		}
		catch (RuntimeException ex) {
			errors.add(ex.getMessage());
		}
		finally {
			context.getStatusManager().remove(errorCollector);
		}
		if (!layout.isStarted() || !errors.isEmpty()) {
			throw new IllegalArgumentException("Logback cannot use the pattern: " + String.join("; ", errors));
		}
		return layout;
	}

	/**
	 * Create and start Spring Boot's structured layout for a format, through Boot's public
	 * {@link StructuredLogEncoder}. It reads {@code logging.structured.*} from the
	 * Environment that Boot's logging system keeps in the Logback context, or from the given
	 * one when the context has none yet.
	 * @param context the Logback context
	 * @param format {@code ecs}, {@code gelf}, {@code logstash} or the class name of a
	 * {@code StructuredLogFormatter}
	 * @param environment the application's environment
	 * @return the started layout
	 * @throws IllegalArgumentException if Spring Boot has no such format
	 */
	public static Layout<ILoggingEvent> structured(LoggerContext context, String format, Environment environment) {
		if (context.getObject(Environment.class.getName()) == null) {
			context.putObject(Environment.class.getName(), environment);
		}
		StructuredLogEncoder encoder = new StructuredLogEncoder();
		encoder.setContext(context);
		encoder.setFormat(format);
		try {
			encoder.start();
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException(ex.getMessage(), ex);
		}
		StructuredLayout layout = new StructuredLayout(encoder, format);
		layout.setContext(context);
		layout.start();
		return layout;
	}

	private static String resolveVariables(LoggerContext context, String pattern) {
		try {
			return OptionHelper.substVars(pattern, context);
		}
		catch (ScanException ex) {
			throw new IllegalArgumentException("Logback cannot resolve the variables of the pattern: " + ex.getMessage(),
					ex);
		}
	}

	/**
	 * Boot's structured encoder as a layout: the record's JSON as text.
	 */
	private static final class StructuredLayout extends LayoutBase<ILoggingEvent> {

		private final StructuredLogEncoder encoder;

		private final String format;

		StructuredLayout(StructuredLogEncoder encoder, String format) {
			this.encoder = encoder;
			this.format = format;
		}

		@Override
		public String doLayout(ILoggingEvent event) {
			return new String(this.encoder.encode(event), StandardCharsets.UTF_8);
		}

		@Override
		public String toString() {
			return "StructuredLayout[" + this.format + "]";
		}

	}

}
