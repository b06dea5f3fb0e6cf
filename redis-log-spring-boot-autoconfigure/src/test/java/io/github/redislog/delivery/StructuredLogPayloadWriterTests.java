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
		assertThat(write(StructuredLogPayloadWriter.forFormat("ecs"), document, "User.alice", null))
			.isEqualTo(document);
	}

	@Test
	void addsTheContextAndOwnerADocumentLacks() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("logstash"), "{\"message\":\"hi\"}", "job_1",
				"User.alice"))
			.isEqualTo("{\"message\":\"hi\",\"redisLogContext\":\"job_1\",\"redisLogOwner\":\"User.alice\"}");
	}

	@Test
	void namesTheAddedFieldsAsGelfNamesAdditionalFields() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("gelf"), "{\"short_message\":\"hi\"}", "job_1", null))
			.isEqualTo("{\"short_message\":\"hi\",\"_redisLogContext\":\"job_1\"}");
	}

	@Test
	void addsOnlyTheOwnerWhenTheContextIsThereUnderTheFormatsPrefix() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("gelf"), "{\"_redisLogContext\":\"job_1\"}", "job_1",
				"User.alice"))
			.isEqualTo("{\"_redisLogContext\":\"job_1\",\"_redisLogOwner\":\"User.alice\"}");
	}

	@Test
	void escapesWhatItAdds() {
		assertThat(write(StructuredLogPayloadWriter.forFormat("ecs"), "{}", "User.\"jo\\sé\"\n", null))
			.isEqualTo("{\"redisLogContext\":\"User.\\\"jo\\\\sé\\\"\\n\"}");
	}

	@Test
	void leavesADocumentThatIsNoObjectAndARecordWithoutContextAlone() {
		StructuredLogPayloadWriter writer = StructuredLogPayloadWriter.forFormat("com.example.CsvFormatter");
		assertThat(write(writer, "a,b,c", "job_1", null)).isEqualTo("a,b,c");
		assertThat(write(writer, "{\"message\":\"hi\"}", null, null)).isEqualTo("{\"message\":\"hi\"}");
	}

	private static String write(StructuredLogPayloadWriter writer, String document, @Nullable String contextId,
			@Nullable String ownerId) {
		LogRecord record = new LogRecord(document, "INFO", Instant.EPOCH, "com.example.Orders", "main", contextId,
				ownerId, Map.of(), null, 512);
		return new String(writer.write(record), StandardCharsets.UTF_8);
	}

}
