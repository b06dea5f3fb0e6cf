package io.github.redislog.web;

import java.util.ArrayList;
import java.util.List;

import io.github.redislog.web.LogStreamLimits.Permit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogStreamLimits}.
 */
class LogStreamLimitsTests {

	@Test
	void eachUserHasTheirOwnLimit() {
		LogStreamLimits limits = new LogStreamLimits(2, 100);
		Permit first = limits.acquire("alice");
		assertThat(first).isNotNull();
		assertThat(limits.acquire("alice")).isNotNull();
		assertThat(limits.acquire("alice")).isNull();
		assertThat(limits.acquire("bob")).isNotNull();
		first.release();
		assertThat(limits.acquire("alice")).isNotNull();
		assertThat(limits.open()).isEqualTo(3);
		assertThat(limits.refused()).isEqualTo(1);
	}

	@Test
	void theApplicationHasALimitInAll() {
		LogStreamLimits limits = new LogStreamLimits(10, 3);
		List<Permit> permits = new ArrayList<>();
		for (String user : List.of("alice", "bob", "carol")) {
			permits.add(limits.acquire(user));
		}
		assertThat(permits).doesNotContainNull();
		assertThat(limits.acquire("dave")).isNull();
		permits.get(0).release();
		assertThat(limits.acquire("dave")).isNotNull();
		assertThat(limits.refused()).isEqualTo(1);
	}

	@Test
	void aPermitIsReleasedOnce() {
		LogStreamLimits limits = new LogStreamLimits(1, 10);
		Permit permit = limits.acquire("alice");
		assertThat(permit).isNotNull();
		permit.release();
		permit.release();
		assertThat(limits.open()).isZero();
		assertThat(limits.acquire("alice")).isNotNull();
		assertThat(limits.acquire("alice")).isNull();
	}

}
