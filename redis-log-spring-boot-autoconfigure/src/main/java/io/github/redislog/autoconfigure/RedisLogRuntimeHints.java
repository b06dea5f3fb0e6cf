package io.github.redislog.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for what the starter loads by name: the live view's page,
 * scripts and styles, read from the class path, and the classes whose presence picks a
 * Redis client, the logging backend or the live view's security.
 *
 * @author Redis Log contributors
 */
final class RedisLogRuntimeHints implements RuntimeHintsRegistrar {

	static final String WEB_RESOURCES = "io/github/redislog/web/";

	static final List<String> PROBED_CLASSES = List.of("io.lettuce.core.RedisClient",
			"org.springframework.data.redis.connection.lettuce.LettuceConnection", "redis.clients.jedis.Jedis",
			"org.springframework.security.core.Authentication", "ch.qos.logback.classic.LoggerContext",
			"org.apache.logging.log4j.core.LoggerContext");

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(WEB_RESOURCES + "index.html");
		hints.resources().registerPattern(WEB_RESOURCES + "static/**");
		// Checked with ClassUtils.isPresent, which a native image answers only for registered types.
		for (String probed : PROBED_CLASSES) {
			hints.reflection().registerTypeIfPresent(classLoader, probed);
		}
	}

}
