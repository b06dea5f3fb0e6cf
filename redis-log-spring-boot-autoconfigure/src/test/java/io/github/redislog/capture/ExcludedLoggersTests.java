package io.github.redislog.capture;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExcludedLoggers}.
 */
class ExcludedLoggersTests {

	private final ExcludedLoggers excludedLoggers = new ExcludedLoggers(List.of("io.lettuce", "reactor"));

	@Test
	void excludesLoggersAndTheirDescendantsOnly() {
		assertThat(this.excludedLoggers.isExcluded("io.lettuce")).isTrue();
		assertThat(this.excludedLoggers.isExcluded("io.lettuce.core.RedisClient")).isTrue();
		assertThat(this.excludedLoggers.isExcluded("reactor.netty")).isTrue();
		assertThat(this.excludedLoggers.isExcluded("io.lettucex.Foo")).isFalse();
		assertThat(this.excludedLoggers.isExcluded("reactorish")).isFalse();
		assertThat(this.excludedLoggers.isExcluded("io")).isFalse();
		assertThat(this.excludedLoggers.isExcluded("com.example.Orders")).isFalse();
	}

	@Test
	void decidesOncePerLoggerName() {
		for (int i = 0; i < 3; i++) {
			assertThat(this.excludedLoggers.isExcluded("io.lettuce.core.RedisClient")).isTrue();
			assertThat(this.excludedLoggers.isExcluded("com.example.Orders")).isFalse();
		}
		assertThat(this.excludedLoggers.cachedNames()).isEqualTo(2);
	}

	@Test
	void keepsAtMostMaxDecisionsAndStillDecidesTheNamesBeyond() {
		for (int i = 0; i < ExcludedLoggers.MAX_CACHED_NAMES + 10; i++) {
			assertThat(this.excludedLoggers.isExcluded("com.example.Generated" + i)).isFalse();
		}
		assertThat(this.excludedLoggers.cachedNames()).isEqualTo(ExcludedLoggers.MAX_CACHED_NAMES);
		assertThat(this.excludedLoggers.isExcluded("io.lettuce.core.RedisClient")).isTrue();
		assertThat(this.excludedLoggers.isExcluded("com.example.Orders")).isFalse();
		assertThat(this.excludedLoggers.cachedNames()).isEqualTo(ExcludedLoggers.MAX_CACHED_NAMES);
	}

}
