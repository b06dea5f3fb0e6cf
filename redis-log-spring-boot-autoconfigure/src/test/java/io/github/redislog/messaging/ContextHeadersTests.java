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

	// Valid in W3C baggage, and left as they are by OpenTelemetry's percent-encoding of it.
	private static final String BAGGAGE_VALUE = "[A-Za-z0-9._@~-]+";

	private final Map<String, Object> headers = new HashMap<>();

	@ParameterizedTest
	@ValueSource(strings = { "import_3f2a", "josé", "a,redis-log-owner=User.bob", "a;b=c d", "50%+", "\uD83D\uDE00",
			"\"\\", "~x", "VXNlci5ib2I" })
	void anyIdTravelsAsBaggageSafeTextAndComesBackUnchanged(String id) {
		RedisLogContext.Snapshot context = new RedisLogContext.Snapshot("job_" + id, "User." + id);
		ContextHeaders.write(context, this.headers::put);

		assertThat(this.headers).containsOnlyKeys(ContextHeaders.CONTEXT, ContextHeaders.OWNER);
		assertThat(this.headers.values()).allSatisfy((value) -> assertThat((String) value).matches(BAGGAGE_VALUE));
		assertThat(ContextHeaders.read(this.headers::get)).isEqualTo(context);
	}

	@Test
	void idOfPlainCharactersIsWrittenAsItIs() {
		ContextHeaders.write(new RedisLogContext.Snapshot("order_3f-2a.b@c", "User.alice"), this.headers::put);
		assertThat(this.headers).containsEntry(ContextHeaders.CONTEXT, "order_3f-2a.b@c")
			.containsEntry(ContextHeaders.OWNER, "User.alice");
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
		this.headers.put(ContextHeaders.OWNER, "~VXNlci5qb3PDqQ".getBytes(StandardCharsets.UTF_8));
		assertThat(ContextHeaders.read(this.headers::get)).isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "~", "User.a b", "User.a+b", "User.jos%C3%A9", "~not base64!", "~wyg",
			"~VXNlci5qb3PDqQ==", "~VXNlci5qb3PDqR", "~VXNlci5hbGljZQ" })
	void malformedContextIsNone(String value) {
		this.headers.put(ContextHeaders.CONTEXT, value);
		this.headers.put(ContextHeaders.OWNER, "User.alice");
		assertThat(ContextHeaders.read(this.headers::get)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "User.a b", "~wyg" })
	void malformedOwnerIsNone(String value) {
		this.headers.put(ContextHeaders.CONTEXT, "job_1");
		this.headers.put(ContextHeaders.OWNER, value);
		assertThat(ContextHeaders.read(this.headers::get)).isEqualTo(new RedisLogContext.Snapshot("job_1", null));
	}

}
