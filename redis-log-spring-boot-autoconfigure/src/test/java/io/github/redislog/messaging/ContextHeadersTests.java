package io.github.redislog.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import org.jspecify.annotations.Nullable;
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

	private static final String KEY = "k".repeat(32);

	private static final Duration MAX_AGE = Duration.ofHours(1);

	private final List<String> reports = new ArrayList<>();

	private final RefusedContexts refused = new RefusedContexts((message, cause) -> this.reports.add(message));

	private final ContextHeaders contextHeaders = headers(KEY, null, Clock.systemUTC());

	private final Map<String, Object> headers = new HashMap<>();

	@ParameterizedTest
	@ValueSource(strings = { "import_3f2a", "josé", "a,redis-log-owner=User.bob", "a;b=c d", "50%+", "\uD83D\uDE00",
			"\"\\", "~x", "VXNlci5ib2I", "a.1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" })
	void anyIdTravelsSignedAsBaggageSafeTextAndComesBackUnchanged(String id) {
		RedisLogContext.Snapshot context = new RedisLogContext.Snapshot("job_" + id, "User." + id);
		this.contextHeaders.write(context, this.headers::put);

		assertThat(this.headers).containsOnlyKeys(ContextHeaders.CONTEXT, ContextHeaders.OWNER);
		assertThat(this.headers.values()).allSatisfy((value) -> assertThat((String) value).matches(BAGGAGE_VALUE));
		assertThat(this.contextHeaders.read(this.headers::get)).isEqualTo(context);
		assertThat(this.reports).isEmpty();
	}

	@Test
	void idOfPlainCharactersIsWrittenAsItIsFollowedByTimeAndSignature() {
		this.contextHeaders.write(new RedisLogContext.Snapshot("order_3f-2a.b@c", "User.alice"), this.headers::put);
		assertThat((String) this.headers.get(ContextHeaders.CONTEXT))
			.matches("order_3f-2a\\.b@c\\.[0-9]{10}\\.[A-Za-z0-9_-]{43}");
		assertThat(this.headers).containsEntry(ContextHeaders.OWNER, "User.alice");
	}

	@Test
	void contextWithALoneSurrogateIsNotCarriedSinceItHasNoUtf8Form() {
		this.contextHeaders.write(new RedisLogContext.Snapshot("User.\uD800", null), this.headers::put);
		assertThat(this.headers).isEmpty();
	}

	@Test
	void ownerWithALoneSurrogateIsLeftOut() {
		this.contextHeaders.write(new RedisLogContext.Snapshot("job_1", "User.\uDC00"), this.headers::put);
		assertThat(this.contextHeaders.read(this.headers::get)).isEqualTo(new RedisLogContext.Snapshot("job_1", null));
	}

	@Test
	void nothingIsWrittenWhileTheKeyIsNotKnown() {
		ContextHeaders withoutKey = new ContextHeaders(new HandOffSignature(() -> null, null), MAX_AGE, this.refused);
		withoutKey.write(new RedisLogContext.Snapshot("job_1", "User.alice"), this.headers::put);
		assertThat(this.headers).isEmpty();
	}

	@Test
	void readsHeadersSentAsUtf8Bytes() {
		this.contextHeaders.write(new RedisLogContext.Snapshot("job_1", "User.josé"), this.headers::put);
		this.headers.replaceAll((name, value) -> ((String) value).getBytes(StandardCharsets.UTF_8));
		assertThat(this.contextHeaders.read(this.headers::get))
			.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
	}

	@Test
	void messageWithoutContextCarriesNoneAndIsNotRefused() {
		this.headers.put(ContextHeaders.CONTEXT, "");
		this.headers.put(ContextHeaders.OWNER, "User.alice");
		assertThat(this.contextHeaders.read(this.headers::get)).isNull();
		assertThat(refusals()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "User.alice", "job_1", "~VXNlci5qb3PDqQ" })
	void unsignedContextIsRefused(String value) {
		this.headers.put(ContextHeaders.CONTEXT, value);
		this.headers.put(ContextHeaders.OWNER, "User.alice");
		assertRefused(RefusalReason.MISSING_SIGNATURE);
	}

	@ParameterizedTest
	@ValueSource(strings = { "~", "User.a b", "User.a+b", "User.jos%C3%A9", "~not base64!", "~wyg",
			"~VXNlci5qb3PDqQ==", "~VXNlci5qb3PDqR", "~VXNlci5hbGljZQ" })
	void malformedContextIsRefused(String value) {
		this.headers.put(ContextHeaders.CONTEXT, value);
		assertRefused(RefusalReason.MALFORMED);
	}

	@ParameterizedTest
	@ValueSource(strings = { "User.a b", "~wyg" })
	void malformedOwnerRefusesTheContext(String value) {
		this.contextHeaders.write(new RedisLogContext.Snapshot("job_1", "User.alice"), this.headers::put);
		this.headers.put(ContextHeaders.OWNER, value);
		assertRefused(RefusalReason.MALFORMED);
	}

	@Test
	void ownerChangedOrDroppedAfterSigningIsRefused() {
		this.contextHeaders.write(new RedisLogContext.Snapshot("job_1", "User.mallory"), this.headers::put);
		this.headers.put(ContextHeaders.OWNER, "User.alice");
		assertRefused(RefusalReason.BAD_SIGNATURE);
		this.headers.remove(ContextHeaders.OWNER);
		assertThat(this.contextHeaders.read(this.headers::get)).isNull();
		assertThat(this.refused.count(RefusalReason.BAD_SIGNATURE)).isEqualTo(2);
	}

	@Test
	void contextOrTimeChangedAfterSigningIsRefused() {
		this.contextHeaders.write(new RedisLogContext.Snapshot("job_1", null), this.headers::put);
		String signed = (String) this.headers.get(ContextHeaders.CONTEXT);
		this.headers.put(ContextHeaders.CONTEXT, "User.alice" + signed.substring("job_1".length()));
		assertRefused(RefusalReason.BAD_SIGNATURE);
		String[] parts = signed.split("\\.");
		this.headers.put(ContextHeaders.CONTEXT, parts[0] + "." + (Long.parseLong(parts[1]) + 7200) + "." + parts[2]);
		assertThat(this.contextHeaders.read(this.headers::get)).isNull();
		assertThat(this.refused.count(RefusalReason.BAD_SIGNATURE)).isEqualTo(2);
	}

	@Test
	void contextSignedWithAnotherKeyIsRefused() {
		headers("o".repeat(32), null, Clock.systemUTC()).write(new RedisLogContext.Snapshot("User.alice", null),
				this.headers::put);
		assertRefused(RefusalReason.BAD_SIGNATURE);
	}

	@Test
	void contextSignedWithThePreviousKeyIsRestoredDuringARotation() {
		String oldKey = "o".repeat(32);
		headers(oldKey, null, Clock.systemUTC()).write(new RedisLogContext.Snapshot("job_1", "User.alice"),
				this.headers::put);
		assertThat(headers(KEY, oldKey, Clock.systemUTC()).read(this.headers::get))
			.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.alice"));
		assertThat(refusals()).isZero();
	}

	@Test
	void contextOlderThanTheMaximumAgeIsRefused() {
		this.contextHeaders.write(new RedisLogContext.Snapshot("job_1", "User.alice"), this.headers::put);
		ContextHeaders later = headers(KEY, null, Clock.offset(Clock.systemUTC(), MAX_AGE.plusSeconds(2)));
		assertThat(later.read(this.headers::get)).isNull();
		assertThat(this.refused.count(RefusalReason.EXPIRED)).isOne();
		ContextHeaders earlier = headers(KEY, null, Clock.offset(Clock.systemUTC(), MAX_AGE.minusSeconds(2)));
		assertThat(earlier.read(this.headers::get)).isEqualTo(new RedisLogContext.Snapshot("job_1", "User.alice"));
	}

	@Test
	void refusalsAreReportedOnceThenSummarized() {
		this.headers.put(ContextHeaders.CONTEXT, "User.alice\n");
		for (int i = 0; i < 5; i++) {
			this.contextHeaders.read(this.headers::get);
		}
		assertThat(refusals()).isEqualTo(5);
		assertThat(this.reports).singleElement()
			.asString()
			.contains("Refused the log context of 1 received message(s)")
			.contains("malformed")
			.contains("'User.alice?'");
	}

	private void assertRefused(RefusalReason reason) {
		assertThat(this.contextHeaders.read(this.headers::get)).isNull();
		assertThat(this.refused.count(reason)).isOne();
		assertThat(refusals()).isOne();
		assertThat(this.reports).singleElement().asString().contains(reason.tag());
	}

	private long refusals() {
		long count = 0;
		for (RefusalReason reason : RefusalReason.values()) {
			count += this.refused.count(reason);
		}
		return count;
	}

	private ContextHeaders headers(String key, @Nullable String previousKey, Clock clock) {
		return new ContextHeaders(new HandOffSignature(() -> key, previousKey), MAX_AGE, this.refused, clock);
	}

}
