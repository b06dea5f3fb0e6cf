package io.github.redislog.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for the log contexts handed to other processes with messages.
 *
 * @author Redis Log contributors
 */
@ConfigurationProperties("redis-log.propagation")
public class RedisLogPropagationProperties {

	/**
	 * Shortest key accepted, in characters.
	 */
	public static final int MIN_KEY_LENGTH = 32;

	/**
	 * Key that signs the contexts handed to other services, at least 32 characters, the
	 * same in every service. When not set, a key created once in Redis under
	 * 'redis-log:propagation-key' is used.
	 */
	private @Nullable String key;

	/**
	 * Key that signed before the current one, still accepted when verifying, for a
	 * rotation. Remove it once every service signs with the new key and the maximum age
	 * has passed.
	 */
	private @Nullable String previousKey;

	/**
	 * Longest time after it was signed that a handed-off context is restored. Defaults to
	 * 'redis-log.stream.context-ttl'.
	 */
	private @Nullable Duration maxAge;

	public @Nullable String getKey() {
		return this.key;
	}

	public void setKey(@Nullable String key) {
		this.key = key;
	}

	public @Nullable String getPreviousKey() {
		return this.previousKey;
	}

	public void setPreviousKey(@Nullable String previousKey) {
		this.previousKey = previousKey;
	}

	public @Nullable Duration getMaxAge() {
		return this.maxAge;
	}

	public void setMaxAge(@Nullable Duration maxAge) {
		this.maxAge = maxAge;
	}

}
