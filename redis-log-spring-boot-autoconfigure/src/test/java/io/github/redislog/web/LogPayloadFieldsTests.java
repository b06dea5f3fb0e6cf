package io.github.redislog.web;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import org.springframework.boot.logging.LogLevel;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogPayloadFields}: the starter's own payload and Spring Boot's
 * structured formats.
 */
class LogPayloadFieldsTests {

	@Test
	void readsTheStartersOwnPayload() {
		LogPayloadFields fields = LogPayloadFields.parse("{\"message\":\"Import failed\",\"level\":\"ERROR\","
				+ "\"timestamp\":1795770930.123456,\"logger\":\"com.example.Import\",\"pod\":\"web-1\","
				+ "\"mdc\":{\"pod\":\"not-this\",\"level\":\"DEBUG\"},"
				+ "\"exception\":{\"class\":\"java.io.IOException\",\"message\":\"gone\","
				+ "\"stackTrace\":\"java.io.IOException: gone\\n\\tat A.b(A.java:1)\"}}");
		assertThat(fields.message()).isEqualTo("Import failed");
		assertThat(fields.level()).isEqualTo(LogLevel.ERROR);
		assertThat(fields.instance()).isEqualTo("web-1");
		assertThat(fields.stackTrace()).isEqualTo("java.io.IOException: gone\n\tat A.b(A.java:1)");
		assertThat(fields.timestamp()).isEqualTo(Instant.ofEpochSecond(1795770930, 123456000));
		assertThat(fields.searchText()).isEqualTo("Import failed\njava.io.IOException: gone\n\tat A.b(A.java:1)");
	}

	@Test
	void keepsAStackTraceThePatternPrintedIntoTheMessageApart() {
		LogPayloadFields fields = LogPayloadFields.parse("{\"message\":\"Failed\\njava.io.IOException: gone\\n\\tat A.b\","
				+ "\"exception\":{\"stackTrace\":\"java.io.IOException: gone\\n\\tat A.b\"}}");
		assertThat(fields.message()).isEqualTo("Failed");
		assertThat(fields.searchText()).isEqualTo("Failed\njava.io.IOException: gone\n\tat A.b");
	}

	@Test
	void readsEcsWithFlatKeys() {
		LogPayloadFields fields = LogPayloadFields.parse("{\"@timestamp\":\"2026-12-07T04:30:00.5Z\","
				+ "\"log.level\":\"WARN\",\"process.thread.name\":\"main\",\"service.name\":\"shop\","
				+ "\"service.node.name\":\"node-2\",\"log.logger\":\"com.example.Shop\",\"message\":\"Slow\","
				+ "\"error.stack_trace\":\"java.lang.X\",\"ecs.version\":\"8.11\"}");
		assertThat(fields.message()).isEqualTo("Slow");
		assertThat(fields.level()).isEqualTo(LogLevel.WARN);
		assertThat(fields.instance()).isEqualTo("node-2");
		assertThat(fields.stackTrace()).isEqualTo("java.lang.X");
		assertThat(fields.timestamp()).isEqualTo(Instant.parse("2026-12-07T04:30:00.5Z"));
	}

	@Test
	void readsEcsWithNestedObjects() {
		LogPayloadFields fields = LogPayloadFields.parse("{\"@timestamp\":\"2026-12-07T04:30:00Z\","
				+ "\"log\":{\"level\":\"DEBUG\",\"logger\":\"x\"},\"host\":{\"name\":\"box-3\"},"
				+ "\"message\":\"Cache miss\",\"error\":{\"type\":\"X\",\"stack_trace\":\"X: y\"}}");
		assertThat(fields.level()).isEqualTo(LogLevel.DEBUG);
		assertThat(fields.instance()).isEqualTo("box-3");
		assertThat(fields.stackTrace()).isEqualTo("X: y");
		assertThat(fields.message()).isEqualTo("Cache miss");
	}

	@Test
	void readsLogstash() {
		LogPayloadFields fields = LogPayloadFields.parse("{\"@timestamp\":\"2026-12-07T04:30:00Z\",\"@version\":\"1\","
				+ "\"message\":\"Started\",\"logger_name\":\"x\",\"thread_name\":\"main\",\"level\":\"INFO\","
				+ "\"level_value\":20000,\"stack_trace\":\"E: f\"}");
		assertThat(fields.level()).isEqualTo(LogLevel.INFO);
		assertThat(fields.message()).isEqualTo("Started");
		assertThat(fields.stackTrace()).isEqualTo("E: f");
		assertThat(fields.instance()).isNull();
	}

	@Test
	void readsGelfWithItsSyslogLevels() {
		LogPayloadFields fields = LogPayloadFields.parse("{\"version\":\"1.1\",\"host\":\"pod-7\","
				+ "\"short_message\":\"Disk full\",\"full_message\":\"Disk full\\njava.io.IOException: full\","
				+ "\"timestamp\":1795770930.5,\"level\":3,\"_level_name\":\"ERROR\",\"_thread_name\":\"main\"}");
		assertThat(fields.message()).isEqualTo("Disk full");
		assertThat(fields.level()).isEqualTo(LogLevel.ERROR);
		assertThat(fields.instance()).isEqualTo("pod-7");
		assertThat(fields.stackTrace()).isEqualTo("Disk full\njava.io.IOException: full");
		assertThat(fields.timestamp()).isEqualTo(Instant.ofEpochSecond(1795770930, 500000000));
		assertThat(LogPayloadFields.parse("{\"short_message\":\"m\",\"level\":4}").level()).isEqualTo(LogLevel.WARN);
		assertThat(LogPayloadFields.parse("{\"short_message\":\"m\",\"level\":6}").level()).isEqualTo(LogLevel.INFO);
		assertThat(LogPayloadFields.parse("{\"short_message\":\"m\",\"level\":7}").level()).isEqualTo(LogLevel.DEBUG);
		assertThat(LogPayloadFields.parse("{\"short_message\":\"m\",\"level\":42}").level()).isNull();
	}

	@Test
	void aPayloadThatIsNotAnObjectIsAllMessage() {
		assertThat(LogPayloadFields.parse("plain text").message()).isEqualTo("plain text");
		assertThat(LogPayloadFields.parse("[1,2]").message()).isEqualTo("[1,2]");
		assertThat(LogPayloadFields.parse("{\"message\":").message()).isEqualTo("{\"message\":");
		assertThat(LogPayloadFields.parse("{\"level\":\"LOUD\"}").level()).isNull();
	}

}
