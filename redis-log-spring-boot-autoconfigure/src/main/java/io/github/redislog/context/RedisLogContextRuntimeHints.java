package io.github.redislog.context;

import io.micrometer.context.ThreadLocalAccessor;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * {@link RuntimeHintsRegistrar} for the {@link RedisLogContextAccessor}, which Micrometer's
 * {@code ContextRegistry} finds through the {@code ServiceLoader}: its service file and
 * its public constructor.
 *
 * @author Redis Log contributors
 */
final class RedisLogContextRuntimeHints implements RuntimeHintsRegistrar {

	static final String SERVICE_FILE = "META-INF/services/" + ThreadLocalAccessor.class.getName();

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		hints.resources().registerPattern(SERVICE_FILE);
		hints.reflection().registerType(RedisLogContextAccessor.class, MemberCategory.INVOKE_PUBLIC_CONSTRUCTORS);
	}

}
