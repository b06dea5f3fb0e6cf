package io.github.redislog.context;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogContextRuntimeHints}.
 */
class RedisLogContextRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	RedisLogContextRuntimeHintsTests() {
		new RedisLogContextRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void registersTheServiceFileThatNamesTheAccessor() throws Exception {
		assertThat(RuntimeHintsPredicates.resource().forResource(RedisLogContextRuntimeHints.SERVICE_FILE))
			.accepts(this.hints);
		assertThat(new ClassPathResource(RedisLogContextRuntimeHints.SERVICE_FILE).getContentAsString(StandardCharsets.UTF_8))
			.contains(RedisLogContextAccessor.class.getName());
	}

	@Test
	void registersTheAccessorsConstructorForTheServiceLoader() throws Exception {
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(RedisLogContextAccessor.class.getConstructor())).accepts(this.hints);
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(RedisLogContextRuntimeHints.class);
	}

}
