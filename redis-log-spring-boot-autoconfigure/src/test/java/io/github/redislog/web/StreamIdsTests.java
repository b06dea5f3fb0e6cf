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
		assertThat(StreamIds.isValid("9223372036854775807-9223372036854775807")).isTrue();
		// Redis' largest id cannot start an exclusive range: a client never has a reason to send it.
		assertThat(StreamIds.isValid("18446744073709551615-18446744073709551615")).isFalse();
		assertThat(StreamIds.isValid("9223372036854775808-0")).isFalse();
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
		assertThat(StreamIds.compare("9223372036854775807-0", "1-0")).isPositive();
	}

	@Test
	void idBeforeAnIdComesRightBeforeIt() {
		assertThat(StreamIds.before("10-5")).isEqualTo("10-4");
		assertThat(StreamIds.before("10-0")).isEqualTo("9-9223372036854775807");
		assertThat(StreamIds.before("0-0")).isEqualTo("0-0");
		assertThat(StreamIds.compare(StreamIds.before("10-0"), "10-0")).isNegative();
		assertThat(StreamIds.min("10-0", "9-3")).isEqualTo("9-3");
	}

	@Test
	void parsedIdsCompareAsNumbersAndReadAsTheyCame() {
		StreamId later = StreamId.parse("1764201330123-10");
		assertThat(later).isEqualTo(new StreamId(1764201330123L, 10));
		assertThat(later.toString()).isEqualTo("1764201330123-10");
		assertThat(later).isGreaterThan(StreamId.parse("1764201330123-9")).isLessThan(StreamId.parse("1764201330124-0"));
		assertThat(StreamId.parse("0-0")).isEqualTo(StreamId.ZERO);
		assertThat(StreamId.parse(Long.MAX_VALUE + "-" + Long.MAX_VALUE)).isGreaterThan(later);
	}

}
