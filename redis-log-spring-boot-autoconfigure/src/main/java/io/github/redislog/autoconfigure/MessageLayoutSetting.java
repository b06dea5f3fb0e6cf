package io.github.redislog.autoconfigure;

import java.util.function.Function;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * The setting that decides how the {@code message} field is laid out, on either backend: a
 * structured format ({@code redis-log.format}), or else a pattern ({@code redis-log.pattern},
 * {@code logging.pattern.file}, or the backend's default). A value the backend cannot use
 * fails the start, naming the property it came from.
 *
 * @param property the property the value came from
 * @param value the format or the pattern
 * @param structured whether the value is a structured format
 * @author Redis Log contributors
 */
record MessageLayoutSetting(String property, String value, boolean structured) {

	static MessageLayoutSetting of(RedisLogProperties properties, Environment environment, String defaultPattern) {
		if (isStructured(properties)) {
			return new MessageLayoutSetting("redis-log.format", properties.getFormat(), true);
		}
		if (properties.getPattern() != null) {
			return new MessageLayoutSetting("redis-log.pattern", properties.getPattern(), false);
		}
		return new MessageLayoutSetting("logging.pattern.file",
				environment.getProperty("logging.pattern.file", defaultPattern), false);
	}

	/**
	 * Return whether records are laid out by a structured format rather than into the
	 * reference payload.
	 * @param properties the starter's properties
	 * @return whether {@code redis-log.format} names a structured format
	 */
	static boolean isStructured(RedisLogProperties properties) {
		return !RedisLogProperties.REFERENCE_FORMAT.equals(properties.getFormat());
	}

	/**
	 * Create the backend's layout for this setting.
	 * @param <L> the backend's layout type
	 * @param pattern creates a pattern layout
	 * @param structured creates a structured layout for a format
	 * @return the layout
	 * @throws InvalidConfigurationPropertyValueException if the backend cannot use the value
	 */
	<L> L layout(Function<String, L> pattern, Function<String, L> structured) {
		try {
			return this.structured ? structured.apply(this.value) : pattern.apply(this.value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(this.property, this.value, ex.getMessage());
		}
	}

}
