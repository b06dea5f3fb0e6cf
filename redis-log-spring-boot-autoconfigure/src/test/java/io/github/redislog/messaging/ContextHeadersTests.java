package io.github.redislog.messaging;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ContextHeaders}.
 */
class ContextHeadersTests {

	// A W3C baggage value: no space, comma, semicolon, double quote or backslash.
	private static final String BAGGAGE_VALUE = "[\\x21\\x23-\\x2B\\x2D-\\x3A\\x3C-\\x5B\\x5D-\\x7E]+";

	private final Map<String, Object> headers = new HashMap<>();

	@ParameterizedTest
	@ValueSource(strings = { "import_3f2a", "josé", "a,redis-log-owner=User.bob", "a;b=c d", "50%+", "\uD83D\uDE00",
			"\"\\" })
	void anyIdTravelsAsBaggageSafeTextAndComesBackUnchanged(String id) {
		RedisLogContext.Snapshot context = new RedisLogContext.Snapshot("job_" + id, "User." + id);
		ContextHeaders.write(context, this.headers::put);

		assertThat(this.headers).containsOnlyKeys(ContextHeaders.CONTEXT, ContextHeaders.OWNER);
		assertThat(this.headers.values()).allSatisfy((value) -> assertThat((String) value).matches(BAGGAGE_VALUE));
		assertThat(ContextHeaders.read(this.headers::get)).isEqualTo(context);
	}

	@Test
	void contextWithALoneSurrogateIsNotCarriedSinceItHasNoUtf8Form() {
		ContextHeaders.write(new RedisLogContext.Snapshot("User.\uD800", null), this.headers::put);
		assertThat(this.headers).isEmpty();
	}

	@Test
	void ownerWithALoneSurrogateIsLeftOut() {
		ContextHeaders.write(new RedisLogContext.Snapshot("job_1", "User.\uDC00"), this.headers::put);
		assertThat(ContextHeaders.read(this.headers::get)).isEqualTo(new RedisLogContext.Snapshot("job_1", null));
	}

	@Test
	void readsHeadersSentAsUtf8Bytes() {
		this.headers.put(ContextHeaders.CONTEXT, "job_1".getBytes(StandardCharsets.UTF_8));
		this.headers.put(ContextHeaders.OWNER, "User.jos%C3%A9".getBytes(StandardCharsets.UTF_8));
		assertThat(ContextHeaders.read(this.headers::get)).isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
	}

	@Test
	void malformedOrEmptyContextIsNone() {
		this.headers.put(ContextHeaders.OWNER, "User.alice");
		assertThat(ContextHeaders.read(this.headers::get)).isNull();
		this.headers.put(ContextHeaders.CONTEXT, "");
		assertThat(ContextHeaders.read(this.headers::get)).isNull();
		this.headers.put(ContextHeaders.CONTEXT, "job_%zz");
		assertThat(ContextHeaders.read(this.headers::get)).isNull();
	}

	@Test
	void malformedOwnerIsNone() {
		this.headers.put(ContextHeaders.CONTEXT, "job_1");
		this.headers.put(ContextHeaders.OWNER, "User.%");
		assertThat(ContextHeaders.read(this.headers::get)).isEqualTo(new RedisLogContext.Snapshot("job_1", null));
	}

}
