package io.github.redislog.web;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.json.JsonFactory;

import org.springframework.boot.logging.LogLevel;

/**
 * What the live view needs of a stream entry's payload, whichever format wrote it: the
 * starter's own ({@code message}, {@code level}, {@code pod}, {@code exception.stackTrace},
 * {@code timestamp} in epoch seconds) or Spring Boot's structured formats, ECS
 * ({@code log.level} flat or nested, {@code @timestamp}, {@code error.stack_trace},
 * {@code host.name}, {@code service.node.name}), Logstash ({@code level},
 * {@code stack_trace}) and GELF ({@code short_message}, {@code full_message},
 * {@code level} as a syslog number, {@code _level_name}, {@code host}).
 *
 * @param message the record's message, the whole payload when it is not a JSON object
 * @param level the record's level, or {@code null} when it has none
 * @param instance the instance that logged it, or {@code null} when it does not say
 * @param stackTrace the stack trace kept apart from the message, or {@code null}
 * @param timestamp when it was logged, or {@code null} when it does not say
 * @author Redis Log contributors
 */
record LogPayloadFields(String message, @Nullable LogLevel level, @Nullable String instance,
		@Nullable String stackTrace, @Nullable Instant timestamp) {

	private static final JsonFactory JSON = new JsonFactory();

	// Flat keys and nested objects name a value by the same dotted path.
	private static final Set<String> PATHS = Set.of("message", "short_message", "full_message", "level",
			"log.level", "_level_name", "pod", "host", "host.name", "service.node.name", "exception.stackTrace",
			"error.stack_trace", "stack_trace", "timestamp", "@timestamp");

	private static final int MAX_DEPTH = 3;

	/**
	 * Return the fields of a payload.
	 * @param json the entry's {@code data} field
	 * @return the fields; a payload that is not a JSON object is all message
	 */
	static LogPayloadFields parse(String json) {
		Map<String, Object> values = new HashMap<>();
		try (JsonParser parser = JSON.createParser(json)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				return new LogPayloadFields(json, null, null, null, null);
			}
			collect(parser, "", 1, values);
		}
		catch (JacksonException ex) {
			return new LogPayloadFields(json, null, null, null, null);
		}
		String message = text(values, "message", "short_message");
		String fullMessage = text(values, "full_message");
		String stackTrace = text(values, "exception.stackTrace", "error.stack_trace", "stack_trace");
		if (stackTrace == null && fullMessage != null && !fullMessage.equals(message)) {
			stackTrace = fullMessage;
		}
		return new LogPayloadFields(withoutTrace((message != null) ? message : ((fullMessage != null) ? fullMessage : ""),
				stackTrace), level(values), text(values, "pod", "host", "host.name", "service.node.name"), stackTrace,
				timestamp(values));
	}

	/**
	 * Return the text a search looks at: the message and the stack trace kept apart from
	 * it.
	 * @return the searchable text
	 */
	String searchText() {
		return (this.stackTrace != null) ? this.message + "\n" + this.stackTrace : this.message;
	}

	// A pattern may print the stack trace into the message too: it is kept apart once.
	private static String withoutTrace(String message, @Nullable String stackTrace) {
		if (stackTrace == null || stackTrace.isEmpty()) {
			return message;
		}
		int end = stackTrace.indexOf('\n');
		int at = message.indexOf(stackTrace.substring(0, (end > 0) ? end : stackTrace.length()).stripTrailing());
		return (at > 0) ? message.substring(0, at).stripTrailing() : message;
	}

	private static void collect(JsonParser parser, String prefix, int depth, Map<String, Object> values) {
		while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
			String path = prefix + parser.currentName();
			JsonToken token = parser.nextToken();
			if (token == JsonToken.START_OBJECT && depth < MAX_DEPTH) {
				collect(parser, path + ".", depth + 1, values);
			}
			else if (token == JsonToken.VALUE_STRING && PATHS.contains(path)) {
				values.putIfAbsent(path, parser.getString());
			}
			else if (token.isNumeric() && PATHS.contains(path)) {
				values.putIfAbsent(path, parser.getDecimalValue());
			}
			else {
				parser.skipChildren();
			}
		}
	}

	private static @Nullable String text(Map<String, Object> values, String... paths) {
		for (String path : paths) {
			if (values.get(path) instanceof String text) {
				return text;
			}
		}
		return null;
	}

	private static @Nullable LogLevel level(Map<String, Object> values) {
		String name = text(values, "level", "log.level", "_level_name");
		if (name != null) {
			return levelNamed(name);
		}
		return (values.get("level") instanceof BigDecimal syslog) ? syslogLevel(syslog.intValue()) : null;
	}

	private static @Nullable LogLevel levelNamed(String name) {
		return switch (name.toUpperCase(Locale.ROOT)) {
			case "TRACE", "FINEST", "FINER" -> LogLevel.TRACE;
			case "DEBUG", "FINE", "CONFIG" -> LogLevel.DEBUG;
			case "INFO", "NOTICE" -> LogLevel.INFO;
			case "WARN", "WARNING" -> LogLevel.WARN;
			case "ERROR", "SEVERE", "ERR" -> LogLevel.ERROR;
			case "FATAL", "CRITICAL", "CRIT", "ALERT", "EMERGENCY", "EMERG" -> LogLevel.FATAL;
			default -> null;
		};
	}

	// Syslog severities, as GELF writes them.
	private static @Nullable LogLevel syslogLevel(int severity) {
		if (severity < 0 || severity > 7) {
			return null;
		}
		return (severity <= 2) ? LogLevel.FATAL : switch (severity) {
			case 3 -> LogLevel.ERROR;
			case 4 -> LogLevel.WARN;
			case 7 -> LogLevel.DEBUG;
			default -> LogLevel.INFO;
		};
	}

	private static @Nullable Instant timestamp(Map<String, Object> values) {
		if (values.get("timestamp") instanceof BigDecimal seconds) {
			BigDecimal nanos = seconds.movePointRight(9);
			return Instant.ofEpochSecond(0, 0).plusNanos(nanos.longValue());
		}
		String text = text(values, "@timestamp", "timestamp");
		if (text != null) {
			try {
				return Instant.parse(text);
			}
			catch (DateTimeParseException ex) {
				return null;
			}
		}
		return null;
	}

}
