package io.github.redislog.delivery;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.LogRecord.ExceptionInfo;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link JsonLogPayloadWriter}.
 */
class JsonLogPayloadWriterTests {

	private static final Instant TIMESTAMP = Instant.ofEpochSecond(1764205825, 123456789);

	private final JsonMapper jsonMapper = JsonMapper.builder()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.build();

	private final JsonLogPayloadWriter writer = new JsonLogPayloadWriter("pod-7f9c");

	@Test
	void writesFieldsOfWireContract() {
		JsonNode json = write(record("Order 42 shipped", null, Map.of(), null));
		assertThat(json.get("message").asString()).isEqualTo("Order 42 shipped");
		assertThat(json.get("level").asString()).isEqualTo("WARN");
		assertThat(json.get("logger").asString()).isEqualTo("com.example.Orders");
		assertThat(json.get("pod").asString()).isEqualTo("pod-7f9c");
		assertThat(json.get("thread").asString()).isEqualTo("http-nio-8080-exec-1");
		assertThat(json.get("timestamp").isNumber()).isTrue();
	}

	@Test
	void writesTimestampAsEpochSecondsWithMicroseconds() {
		JsonNode timestamp = write(record("m", null, Map.of(), null)).get("timestamp");
		assertThat(timestamp.isNumber()).isTrue();
		assertThat(timestamp.decimalValue()).isEqualByComparingTo(new BigDecimal("1764205825.123456"));
	}

	@Test
	void writesTimestampOfWholeSecondAsNumberWithZeroFraction() {
		JsonNode timestamp = write(record(Instant.ofEpochSecond(1764205825, 999), "m")).get("timestamp");
		assertThat(timestamp.isNumber()).isTrue();
		assertThat(timestamp.decimalValue()).isEqualByComparingTo(new BigDecimal("1764205825"));
	}

	@Test
	void writesTimestampOfEpochStartAsPlainNumber() {
		byte[] json = this.writer.write(record(Instant.ofEpochSecond(0, 1_000), "m"));
		assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"timestamp\":0.000001");
	}

	@Test
	void writesNullPodWhenThereIsNone() {
		JsonNode json = write(new JsonLogPayloadWriter(null), record("m", null, Map.of(), null));
		assertThat(json.has("pod")).isTrue();
		assertThat(json.get("pod").isNull()).isTrue();
	}

	@Test
	void omitsContextWhenAbsent() {
		assertThat(write(record("m", null, Map.of(), null)).has("context")).isFalse();
	}

	@Test
	void writesContextWhenPresent() {
		JsonNode json = write(record("m", "User.alice", Map.of(), null));
		assertThat(json.get("context").asString()).isEqualTo("User.alice");
	}

	@Test
	void omitsEmptyMdc() {
		assertThat(write(record("m", null, Map.of(), null)).has("mdc")).isFalse();
	}

	@Test
	void writesMdcWhenNotEmpty() {
		Map<String, String> mdc = new LinkedHashMap<>();
		mdc.put("traceId", "4bf92f3577b34da6");
		mdc.put("tenant", "acme \"corp\"");
		JsonNode json = write(record("m", null, mdc, null));
		JsonNode written = json.get("mdc");
		assertThat(written.isObject()).isTrue();
		assertThat(written.propertyNames()).containsExactlyInAnyOrder("traceId", "tenant");
		assertThat(written.get("traceId").asString()).isEqualTo("4bf92f3577b34da6");
		assertThat(written.get("tenant").asString()).isEqualTo("acme \"corp\"");
	}

	@Test
	void leavesContextAndOwnerEntriesOutOfMdc() {
		Map<String, String> mdc = new LinkedHashMap<>();
		mdc.put(RedisLogContext.MDC_KEY, "job_1");
		mdc.put("traceId", "4bf92f3577b34da6");
		mdc.put(RedisLogContext.OWNER_MDC_KEY, "User.alice");
		JsonNode json = write(record("m", "job_1", mdc, null));
		assertThat(json.get("mdc").propertyNames()).containsExactly("traceId");
		assertThat(json.get("context").asString()).isEqualTo("job_1");
	}

	@Test
	void writesTheMdcOfEachRecordOnItsOwn() {
		write(record("first", null, Map.of("traceId", "trace-1"), null));
		JsonNode second = write(record("second", null, Map.of("orderId", "17"), null));
		assertThat(second.get("mdc").propertyNames()).containsExactly("orderId");
		JsonNode third = write(record("third", null, Map.of(RedisLogContext.MDC_KEY, "User.bob"), null));
		assertThat(third.has("mdc")).isFalse();
	}

	@Test
	void omitsMdcOfContextAndOwnerEntriesOnly() {
		Map<String, String> mdc = Map.of(RedisLogContext.MDC_KEY, "job_1", RedisLogContext.OWNER_MDC_KEY,
				"User.alice");
		assertThat(write(record("m", "job_1", mdc, null)).has("mdc")).isFalse();
	}

	@Test
	void omitsExceptionWhenAbsent() {
		assertThat(write(record("m", null, Map.of(), null)).has("exception")).isFalse();
	}

	@Test
	void writesException() {
		ExceptionInfo exception = new ExceptionInfo("java.lang.IllegalStateException", "boom",
				"java.lang.IllegalStateException: boom\n\tat com.example.Orders.ship(Orders.java:42)\n");
		JsonNode written = write(record("m", null, Map.of(), exception)).get("exception");
		assertThat(written.get("class").asString()).isEqualTo("java.lang.IllegalStateException");
		assertThat(written.get("message").asString()).isEqualTo("boom");
		assertThat(written.get("stackTrace").asString())
			.isEqualTo("java.lang.IllegalStateException: boom\n\tat com.example.Orders.ship(Orders.java:42)\n");
	}

	@Test
	void writesNullExceptionMessageAsNull() {
		ExceptionInfo exception = new ExceptionInfo("java.lang.NullPointerException", null,
				"java.lang.NullPointerException\n");
		JsonNode written = write(record("m", null, Map.of(), exception)).get("exception");
		assertThat(written.has("message")).isTrue();
		assertThat(written.get("message").isNull()).isTrue();
	}

	@Test
	void writesHostileMessageAsValidJsonReplacingLoneSurrogate() throws CharacterCodingException {
		String message = "a\uD800b \u0000 \u001B[31mred\u001B[0m \"quoted\" \\ </script><script>alert(1)</script>"
				+ " \r\n\t\u2028 end";
		byte[] json = this.writer.write(record(message, null, Map.of(), null));
		StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT)
			.decode(ByteBuffer.wrap(json));
		assertThat(parse(json).get("message").asString()).isEqualTo(message.replace('\uD800', '?'));
	}

	@Test
	void replacesLoneSurrogatesInEveryField() {
		ExceptionInfo exception = new ExceptionInfo("com.example.Bad\uDC00", "lone \uDBFF", "trace \uD800");
		LogRecord record = new LogRecord("m", "INFO", TIMESTAMP, "logger\uD801", "thread\uDFFF", "User.\uD802", null,
				Map.of("key\uD803", "value\uDC01"), exception, 100);
		JsonNode json = parse(this.writer.write(record));
		assertThat(json.get("logger").asString()).isEqualTo("logger?");
		assertThat(json.get("thread").asString()).isEqualTo("thread?");
		assertThat(json.get("context").asString()).isEqualTo("User.?");
		assertThat(json.get("mdc").get("key?").asString()).isEqualTo("value?");
		assertThat(json.get("exception").get("class").asString()).isEqualTo("com.example.Bad?");
		assertThat(json.get("exception").get("message").asString()).isEqualTo("lone ?");
		assertThat(json.get("exception").get("stackTrace").asString()).isEqualTo("trace ?");
	}

	@Test
	void keepsSurrogatePairs() {
		String message = "deployed \uD83D\uDE80 to prod, caf\u00E9 \u4E2D\u6587";
		assertThat(write(record(message, null, Map.of(), null)).get("message").asString()).isEqualTo(message);
	}

	@Test
	void writesOneJsonObjectWithContractFieldsFirst() {
		JsonNode json = write(record("m", "job_1", Map.of("k", "v"),
				new ExceptionInfo("java.io.IOException", "disk", "java.io.IOException: disk\n")));
		assertThat(json.isObject()).isTrue();
		assertThat(json.propertyNames()).startsWith("message", "level", "timestamp", "logger", "pod")
			.containsExactlyInAnyOrder("message", "level", "timestamp", "logger", "pod", "thread", "context", "mdc",
					"exception");
	}

	@Test
	void returnsPayloadsThatOutliveTheWriterBuffers() {
		byte[] first = this.writer.write(record("first", null, Map.of(), null));
		String firstJson = new String(first, StandardCharsets.UTF_8);
		this.writer.write(record("second, and longer than the first", "User.bob", Map.of("k", "v"), null));
		assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo(firstJson);
		assertThat(parse(first).get("message").asString()).isEqualTo("first");
	}

	@Test
	void writesRecordsLargerThanTheBuffersItKeeps() {
		String message = "caf\u00E9 \uD83D\uDE80 ".repeat(40_000);
		String stackTrace = "trace\n".repeat(50_000);
		ExceptionInfo exception = new ExceptionInfo("java.lang.IllegalStateException", "boom", stackTrace);
		JsonNode json = write(record(message, null, Map.of(), exception));
		assertThat(json.get("message").asString()).isEqualTo(message);
		assertThat(json.get("exception").get("stackTrace").asString()).isEqualTo(stackTrace);
		assertThat(write(record("small again", null, Map.of(), null)).get("message").asString())
			.isEqualTo("small again");
	}

	@Test
	void aRecordThatFailsHalfWrittenLeavesNothingInTheNext() {
		LogMessage failing = new FailingLayout();
		LogRecord broken = new LogRecord(failing, "INFO", TIMESTAMP, "com.example.Orders", "main", null, null, Map.of(),
				null, 100);
		assertThatIllegalStateException().isThrownBy(() -> this.writer.write(broken)).withMessage("layout failed");
		JsonNode json = write(record("after the failure", null, Map.of(), null));
		assertThat(json.get("message").asString()).isEqualTo("after the failure");
	}

	@Test
	void writesTimestampBeforeEpochAsNegativeSeconds() {
		JsonNode timestamp = write(record(Instant.ofEpochSecond(-2, 500_000_000), "m")).get("timestamp");
		assertThat(timestamp.decimalValue()).isEqualByComparingTo(new BigDecimal("-1.5"));
	}

	private JsonNode write(LogRecord record) {
		return write(this.writer, record);
	}

	private JsonNode write(JsonLogPayloadWriter writer, LogRecord record) {
		return parse(writer.write(record));
	}

	private JsonNode parse(byte[] json) {
		return this.jsonMapper.readTree(json);
	}

	private static LogRecord record(String message, @Nullable String contextId, Map<String, String> mdc,
			@Nullable ExceptionInfo exception) {
		return new LogRecord(message, "WARN", TIMESTAMP, "com.example.Orders", "http-nio-8080-exec-1", contextId, null, mdc,
				exception, 100);
	}

	/**
	 * A deferred message whose layout fails, as a broken custom layout does on the worker.
	 */
	private record FailingLayout() implements LogMessage.Deferred<String> {

		@Override
		public String event() {
			return "event";
		}

		@Override
		public LogMessage.Layout<String> layout() {
			return (event) -> {
				throw new IllegalStateException("layout failed");
			};
		}

	}

	private static LogRecord record(Instant timestamp, String message) {
		return new LogRecord(message, "INFO", timestamp, "com.example.Orders", "main", null, null, Map.of(), null, 100);
	}

}
