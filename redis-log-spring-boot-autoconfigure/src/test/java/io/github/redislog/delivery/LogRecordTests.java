package io.github.redislog.delivery;

import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogRecord}: a value, whose message is data.
 */
class LogRecordTests {

	@Test
	void recordsWithTheSameFieldsAreEqualAndShowTheirMessage() {
		LogRecord record = record("3 log records dropped (queue_full)");
		assertThat(record).isEqualTo(record("3 log records dropped (queue_full)"))
			.hasSameHashCodeAs(record("3 log records dropped (queue_full)"))
			.isNotEqualTo(record("4 log records dropped (queue_full)"));
		assertThat(record.content()).isEqualTo(new LogMessage.LaidOut("3 log records dropped (queue_full)"));
		assertThat(record.message()).isEqualTo("3 log records dropped (queue_full)");
		assertThat(record.toString()).contains("3 log records dropped (queue_full)");
	}

	private static LogRecord record(String message) {
		return new LogRecord(message, "WARN", Instant.EPOCH, "io.github.redislog", "redis-log-worker", "User.alice",
				null, Map.of(), null, 0);
	}

}
