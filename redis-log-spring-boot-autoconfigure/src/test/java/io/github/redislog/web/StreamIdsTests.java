package io.github.redislog.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StreamIds}.
 */
class StreamIdsTests {

	@Test
	void acceptsCompleteIdsOnly() {
		assertThat(StreamIds.isValid("1764201330123-0")).isTrue();
		assertThat(StreamIds.isValid("0-0")).isTrue();
		assertThat(StreamIds.isValid("18446744073709551615-18446744073709551615")).isTrue();
		assertThat(StreamIds.isValid("18446744073709551616-0")).isFalse();
		assertThat(StreamIds.isValid("1764201330123")).isFalse();
		assertThat(StreamIds.isValid("-1-0")).isFalse();
		assertThat(StreamIds.isValid("1-0 ")).isFalse();
		assertThat(StreamIds.isValid("$")).isFalse();
		assertThat(StreamIds.isValid("")).isFalse();
	}

	@Test
	void comparesAsNumbersInStreamOrder() {
		assertThat(StreamIds.compare("9-0", "10-0")).isNegative();
		assertThat(StreamIds.compare("10-2", "10-10")).isNegative();
		assertThat(StreamIds.compare("10-10", "10-10")).isZero();
		assertThat(StreamIds.compare("11-0", "10-99")).isPositive();
		assertThat(StreamIds.compare("18446744073709551615-0", "1-0")).isPositive();
	}

}
