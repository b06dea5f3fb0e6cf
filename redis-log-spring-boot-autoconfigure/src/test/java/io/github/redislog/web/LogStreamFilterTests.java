package io.github.redislog.web;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Tests for {@link LogStreamFilter} and {@link LogQuery}.
 */
class LogStreamFilterTests {

	@Test
	void levelIsAMinimum() {
		LogStreamFilter warn = LogStreamFilter.of("warn", null, null);
		assertThat(warn.matches(entry("{\"message\":\"m\",\"level\":\"ERROR\"}"))).isTrue();
		assertThat(warn.matches(entry("{\"message\":\"m\",\"level\":\"WARN\"}"))).isTrue();
		assertThat(warn.matches(entry("{\"message\":\"m\",\"level\":\"INFO\"}"))).isFalse();
		assertThat(warn.matches(entry("{\"message\":\"m\"}"))).isFalse();
		assertThat(warn.matches(entry("{\"short_message\":\"m\",\"level\":4}"))).isTrue();
		assertThat(warn.matches(entry("{\"message\":\"m\",\"log\":{\"level\":\"DEBUG\"}}"))).isFalse();
	}

	@Test
	void textIsFoundAnywhereInMessageAndStackTraceIgnoringCase() {
		LogStreamFilter filter = LogStreamFilter.of(null, "TIMEOUT", null);
		assertThat(filter.matches(entry("{\"message\":\"Read timeout after 5s\",\"level\":\"INFO\"}"))).isTrue();
		assertThat(filter.matches(entry("{\"message\":\"Failed\",\"stack_trace\":\"java.net.Timeout\"}"))).isTrue();
		assertThat(filter.matches(entry("{\"message\":\"All good\",\"logger\":\"timeout\"}"))).isFalse();
		assertThat(LogStreamFilter.of(null, "a.b", null).matches(entry("{\"message\":\"axb\"}"))).isFalse();
	}

	@Test
	void textBetweenSlashesIsARegularExpression() {
		LogStreamFilter filter = LogStreamFilter.of("INFO", "/order [0-9]+ (paid|shipped)/", null);
		assertThat(filter.matches(entry("{\"message\":\"Order 42 Shipped\",\"level\":\"INFO\"}"))).isTrue();
		assertThat(filter.matches(entry("{\"message\":\"Order 42 cancelled\",\"level\":\"INFO\"}"))).isFalse();
		assertThat(filter.matches(entry("{\"message\":\"Order 42 paid\",\"level\":\"DEBUG\"}"))).isFalse();
	}

	@Test
	void aPatternThatBacktracksForeverCountsAsNoMatchAtOnce() {
		LogStreamFilter filter = LogStreamFilter.of(null, "/(a+)+$/", null);
		String json = "{\"message\":\"" + "a".repeat(5000) + "!\"}";
		assertTimeoutPreemptively(Duration.ofSeconds(2), () -> {
			for (int i = 0; i < 100; i++) {
				assertThat(filter.matches(entry(json))).isFalse();
			}
		});
		assertThat(LogStreamFilter.of(null, "/(a+)+!/", null).matches(entry(json))).isTrue();
	}

	@Test
	void instanceIsTheOneThatLoggedTheEntry() {
		LogStreamFilter filter = LogStreamFilter.of(null, null, "web-1");
		assertThat(filter.matches(entry("{\"message\":\"m\",\"pod\":\"web-1\"}"))).isTrue();
		assertThat(filter.matches(entry("{\"short_message\":\"m\",\"host\":\"web-1\"}"))).isTrue();
		assertThat(filter.matches(entry("{\"message\":\"m\",\"pod\":\"web-2\"}"))).isFalse();
		assertThat(filter.matches(entry("{\"message\":\"m\"}"))).isFalse();
	}

	@Test
	void rejectsWhatItCannotUse() {
		assertThatIllegalArgumentException().isThrownBy(() -> LogStreamFilter.of("LOUD", null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> LogStreamFilter.of("OFF", null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> LogStreamFilter.of(null, "/(unclosed/", null));
		assertThatIllegalArgumentException().isThrownBy(() -> LogStreamFilter.of(null, "x".repeat(201), null));
		assertThat(LogStreamFilter.of("", "", null).passesAll()).isTrue();
		assertThat(LogStreamFilter.of(null, "x".repeat(200), null).passesAll()).isFalse();
	}

	private static LogStreamEntry entry(String json) {
		return new LogStreamEntry("1-0", json);
	}

}
