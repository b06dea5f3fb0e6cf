package io.github.redislog.log4j2;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.Node;
import org.apache.logging.log4j.core.config.plugins.util.PluginManager;
import org.apache.logging.log4j.core.config.plugins.util.PluginType;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.apache.logging.log4j.status.StatusData;
import org.apache.logging.log4j.status.StatusListener;
import org.apache.logging.log4j.status.StatusLogger;

import org.springframework.boot.logging.log4j2.Log4J2LoggingSystem;
import org.springframework.core.Conventions;
import org.springframework.core.env.Environment;

/**
 * Builds the Log4j2 layout that formats the {@code message} field: a pattern, or one of
 * Spring Boot's structured formats, which then makes the whole payload.
 *
 * @author Redis Log contributors
 */
public final class Log4j2MessageLayout {

	/**
	 * Default pattern: Spring Boot's Log4j2 file log layout (no ANSI colours).
	 */
	public static final String DEFAULT_PATTERN = "%d{${sys:LOG_DATEFORMAT_PATTERN:-yyyy-MM-dd'T'HH:mm:ss.SSSXXX}} "
			+ "${sys:LOG_LEVEL_PATTERN:-%5p} %pid --- %esb{${sys:APPLICATION_NAME:-}}%esb{${sys:APPLICATION_GROUP:-}}[%t] "
			+ "${sys:LOG_CORRELATION_PATTERN:-}%-40.40c{1.} : %m%n${sys:LOG_EXCEPTION_CONVERSION_WORD:-%xwEx}";

	// Where Log4J2LoggingSystem keeps the Spring Environment that Boot's structured layout reads.
	private static final String ENVIRONMENT_KEY = Conventions.getQualifiedAttributeName(Log4J2LoggingSystem.class,
			"environment");

	private static final String STRUCTURED_LAYOUT_PLUGIN = "StructuredLogLayout";

	private Log4j2MessageLayout() {
	}

	/**
	 * Create a pattern layout. Lookups such as {@code ${sys:LOG_LEVEL_PATTERN}} are resolved
	 * by the logger context's configuration.
	 * @param loggerContext the logger context
	 * @param pattern the pattern
	 * @return the layout
	 * @throws IllegalArgumentException if Log4j2 cannot use the pattern
	 */
	public static Layout<String> pattern(LoggerContext loggerContext, String pattern) {
		Configuration configuration = loggerContext.getConfiguration();
		String resolved = configuration.getStrSubstitutor().replace(pattern);
		return reportingErrors(() -> PatternLayout.newBuilder()
			.withConfiguration(configuration)
			.withPattern(resolved)
			.withDisableAnsi(true)
			.build());
	}

	/**
	 * Create Spring Boot's structured layout for a format, through Log4j2's plugin system as
	 * Boot's own {@code log4j2.xml} does. It reads {@code logging.structured.*} from the
	 * Environment that Boot's logging system keeps in the logger context, or from the given
	 * one when the context has none yet.
	 * @param loggerContext the logger context
	 * @param format {@code ecs}, {@code gelf}, {@code logstash} or the class name of a
	 * {@code StructuredLogFormatter}
	 * @param environment the application's environment
	 * @return the layout
	 * @throws IllegalArgumentException if Spring Boot has no such format
	 */
	@SuppressWarnings("unchecked")
	public static Layout<String> structured(LoggerContext loggerContext, String format, Environment environment) {
		loggerContext.putObjectIfAbsent(ENVIRONMENT_KEY, environment);
		Configuration configuration = loggerContext.getConfiguration();
		PluginManager plugins = new PluginManager(Node.CATEGORY);
		plugins.collectPlugins();
		PluginType<?> type = plugins.getPluginType(STRUCTURED_LAYOUT_PLUGIN);
		if (type == null) {
			throw new IllegalArgumentException("Log4j2 finds no " + STRUCTURED_LAYOUT_PLUGIN + " plugin of Spring Boot");
		}
		Node node = new Node(null, STRUCTURED_LAYOUT_PLUGIN, type);
		node.getAttributes().put("format", format);
		return reportingErrors(() -> {
			configuration.createConfiguration(node, null);
			return (Layout<String>) node.getObject();
		});
	}

	// Log4j2 reports what it cannot build as status errors and carries on: collect them.
	private static Layout<String> reportingErrors(Supplier<Layout<String>> factory) {
		List<String> errors = new CopyOnWriteArrayList<>();
		StatusListener errorCollector = new ErrorCollector(errors);
		StatusLogger.getLogger().registerListener(errorCollector);
		Layout<String> layout = null;
		try {
			layout = factory.get();
		}
		catch (RuntimeException ex) {
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			errors.add(String.valueOf(cause.getMessage()));
		}
		finally {
			StatusLogger.getLogger().removeListener(errorCollector);
		}
		if (layout == null || !errors.isEmpty()) {
			throw new IllegalArgumentException("Log4j2 cannot use it: " + String.join("; ", errors));
		}
		return layout;
	}

	private record ErrorCollector(List<String> errors) implements StatusListener {

		@Override
		public void log(StatusData data) {
			if (data.getLevel().isMoreSpecificThan(Level.ERROR)) {
				this.errors.add(data.getMessage().getFormattedMessage());
			}
		}

		@Override
		public Level getStatusLevel() {
			return Level.ERROR;
		}

		@Override
		public void close() {
		}

	}

}
