package io.github.redislog.autoconfigure;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogRuntimeHints}.
 */
class RedisLogRuntimeHintsTests {

	private final RuntimeHints hints = new RuntimeHints();

	RedisLogRuntimeHintsTests() {
		new RedisLogRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void registersEveryFileOfTheLiveView() throws IOException {
		List<String> files = liveViewFiles();
		assertThat(files).contains(RedisLogRuntimeHints.WEB_RESOURCES + "index.html",
				RedisLogRuntimeHints.WEB_RESOURCES + "static/redis-log.js",
				RedisLogRuntimeHints.WEB_RESOURCES + "static/xterm/xterm.js");
		assertThat(files).allSatisfy(
				(file) -> assertThat(RuntimeHintsPredicates.resource().forResource(file)).accepts(this.hints));
	}

	@Test
	void registersTheClassesWhosePresenceIsChecked() {
		// Each test execution has one logging backend on its class path.
		assertThat(RedisLogRuntimeHints.PROBED_CLASSES)
			.filteredOn((name) -> ClassUtils.isPresent(name, getClass().getClassLoader()))
			.hasSize(RedisLogRuntimeHints.PROBED_CLASSES.size() - 1)
			.allSatisfy((name) -> assertThat(
				RuntimeHintsPredicates.reflection().onType(TypeReference.of(name)))
			.accepts(this.hints));
	}

	@Test
	void registersNoClassThatIsAbsent() {
		RuntimeHints hints = new RuntimeHints();
		new RedisLogRuntimeHints().registerHints(hints, new ClassLoader(null) {
		});
		assertThat(hints.reflection().typeHints()).isEmpty();
	}

	@Test
	void isRegisteredInAotFactories() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(RedisLogRuntimeHints.class);
	}

	private List<String> liveViewFiles() throws IOException {
		Path resources = Path.of("src/main/resources");
		try (Stream<Path> files = Files.walk(resources.resolve(RedisLogRuntimeHints.WEB_RESOURCES))) {
			return files.filter(Files::isRegularFile)
				.map((file) -> resources.relativize(file).toString().replace(File.separatorChar, '/'))
				.toList();
		}
	}

}
