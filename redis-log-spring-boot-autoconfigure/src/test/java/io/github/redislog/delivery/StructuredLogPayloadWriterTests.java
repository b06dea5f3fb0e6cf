package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StructuredLogPayloadWriter}.
 */
class StructuredLogPayloadWriterTests {

	@Test
	void writesTheDocumentAsItIsWhenItCarriesTheContext() {
		String document = "{\"message\":\"hi\",\"redisLogContext\":\"User.alice\"}";
		assertThat(write(StructuredLogPayloadWriter.forFormat("ecs", "web-7d9f"), document, "User.alice", null))
			.isEqualTo(document);
	}

	@Test
	void addsTheContextAndOwnerADocumentLacks() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("logstash", "web-7d9f"), "{\"message\":\"hi\"}", "job_1",
				"User.alice"))
			.isEqualTo("{\"message\":\"hi\",\"redisLogContext\":\"job_1\",\"redisLogOwner\":\"User.alice\"}");
	}

	@Test
	void namesTheAddedFieldsAsGelfNamesAdditionalFields() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("gelf", "web-7d9f"), "{\"short_message\":\"hi\"}", "job_1", null))
			.isEqualTo("{\"short_message\":\"hi\",\"_redisLogContext\":\"job_1\"}");
	}

	@Test
	void addsOnlyTheOwnerWhenTheContextIsThereUnderTheFormatsPrefix() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("gelf", "web-7d9f"), "{\"_redisLogContext\":\"job_1\"}", "job_1",
				"User.alice"))
			.isEqualTo("{\"_redisLogContext\":\"job_1\",\"_redisLogOwner\":\"User.alice\"}");
	}

	@Test
	void escapesWhatItAdds() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("ecs", "web-7d9f"), "{}", "User.\"jo\\sé\"\n", null))
			.isEqualTo("{\"redisLogContext\":\"User.\\\"jo\\\\sé\\\"\\n\"}");
	}

	@Test
	void leavesADocumentThatIsNoObjectAndARecordWithoutContextAlone() {
		StructuredLogPayloadWriter writer = StructuredLogPayloadWriter.forFormat("com.example.CsvFormatter", "web-7d9f");
		assertThat(write(writer, "a,b,c", "job_1", null)).isEqualTo("a,b,c");
		assertThat(write(writer, "{\"message\":\"hi\"}", null, null)).isEqualTo("{\"message\":\"hi\"}");
	}

	@Test
	void writesTheNotesAboutDroppedRecordsInTheReferenceFormat() {
		LogRecord note = new LogRecord("3 log records dropped (queue_full)", "WARN", Instant.EPOCH,
				DroppedGap.NOTE_LOGGER, "redis-log-worker", "job_1", null, Map.of(), null, 0);
		String payload = new String(StructuredLogPayloadWriter.forFormat("gelf", "web-7d9f").write(note),
				StandardCharsets.UTF_8);
		assertThat(payload).startsWith("{\"message\":\"3 log records dropped (queue_full)\",\"level\":\"WARN\"")
			.contains("\"logger\":\"io.github.redislog\"", "\"pod\":\"web-7d9f\"");
	}

	private static String write(StructuredLogPayloadWriter writer, String document, @Nullable String contextId,
			@Nullable String ownerId) {
		LogRecord record = new LogRecord(document, "INFO", Instant.EPOCH, "com.example.Orders", "main", contextId,
				ownerId, Map.of(), null, 512);
		return new String(writer.write(record), StandardCharsets.UTF_8);
	}

}
