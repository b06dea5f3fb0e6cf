package io.github.redislog.messaging;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;

import io.github.redislog.support.TroubleReporter;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.core.types.Expiration;

/**
 * The key that signs hand-offs when none is configured: created once in Redis, under
 * {@value #REDIS_KEY}, by the first instance that finds none there ({@code SET NX}), and
 * read by every instance, so that all the services that share the Redis agree without
 * setup. Read when first needed (at startup, by {@link HandOffSignature}); while Redis
 * cannot be reached, tried again at most every {@value #RETRY_INTERVAL_SECONDS} seconds by
 * the first thread that needs it.
 *
 * @author Redis Log contributors
 */
public final class StoredHandOffKey implements Supplier<@Nullable String> {

	/**
	 * Redis key that holds the key.
	 */
	public static final String REDIS_KEY = "redis-log:propagation-key";

	static final long RETRY_INTERVAL_SECONDS = 10;

	private static final int KEY_BYTES = 32;

	private final Supplier<RedisConnectionFactory> connectionFactory;

	private final TroubleReporter reporter;

	private volatile @Nullable String key;

	private long nextAttemptNanos = System.nanoTime();

	/**
	 * Create a key read from Redis.
	 * @param connectionFactory returns the factory of connections to the Redis that holds
	 * it, asked for when the key is first needed
	 * @param reporter where to report that Redis cannot be reached
	 */
	public StoredHandOffKey(Supplier<RedisConnectionFactory> connectionFactory, TroubleReporter reporter) {
		this.connectionFactory = connectionFactory;
		this.reporter = reporter;
	}

	@Override
	public @Nullable String get() {
		String key = this.key;
		return (key != null) ? key : load();
	}

	private synchronized @Nullable String load() {
		long now = System.nanoTime();
		if (this.key != null || now - this.nextAttemptNanos < 0) {
			return this.key;
		}
		this.nextAttemptNanos = now + Duration.ofSeconds(RETRY_INTERVAL_SECONDS).toNanos();
		byte[] name = REDIS_KEY.getBytes(StandardCharsets.UTF_8);
		try (RedisConnection connection = this.connectionFactory.get().getConnection()) {
			connection.stringCommands().set(name, newKey(), Expiration.persistent(), SetOption.ifAbsent());
			byte[] stored = connection.stringCommands().get(name);
			if (stored == null || stored.length == 0) {
				throw new IllegalStateException("Redis returned no value for " + REDIS_KEY);
			}
			this.key = new String(stored, StandardCharsets.UTF_8);
		}
		catch (RuntimeException ex) {
			this.reporter.warn("Could not read or create the key that signs log contexts handed to other services ("
					+ REDIS_KEY + " in Redis): messages go without a context and received ones are refused until it"
					+ " can; trying again in " + RETRY_INTERVAL_SECONDS + " s", ex);
		}
		return this.key;
	}

	private static byte[] newKey() {
		byte[] key = new byte[KEY_BYTES];
		new SecureRandom().nextBytes(key);
		return Base64.getUrlEncoder().withoutPadding().encode(key);
	}

}
