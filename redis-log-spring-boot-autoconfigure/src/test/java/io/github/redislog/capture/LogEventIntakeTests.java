package io.github.redislog.capture;

import java.time.Instant;

import io.github.redislog.capture.LogEventIntake.EventCapture;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.DroppedGap;
import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecordQueue;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * Tests for {@link LogEventIntake}: an event it cannot capture is counted in its own
 * context, and the caller never sees the failure.
 */
class LogEventIntakeTests {

	private static final long LOGGED_AT = Instant.parse("2026-12-07T10:15:30Z").toEpochMilli();

	private final DroppedRecords dropped = new DroppedRecords((message, cause) -> {
	});

	private final LogEventIntake intake = new LogEventIntake(new LogRecordQueue(10, Long.MAX_VALUE, this.dropped),
			new DeliveryCounters(this.dropped));

	@Test
	void anEventThatCannotBeCapturedLeavesItsGapInItsOwnContext() {
		assertThatNoException().isThrownBy(() -> this.intake.take("event", new FailingCapture("User.alice")));
		assertThat(this.dropped.count(DropReason.SERIALIZATION)).isOne();
		assertThat(this.dropped.takeGaps()).singleElement().satisfies((gap) -> {
			assertThat(gap.contextId()).isEqualTo("User.alice");
			assertThat(gap.reason()).isEqualTo(DropReason.SERIALIZATION);
			assertThat(gap.first()).isEqualTo(Instant.ofEpochMilli(LOGGED_AT));
		});
	}

	@Test
	void anEventThatCannotTellItsContextEitherIsCountedWithoutOne() {
		assertThatNoException().isThrownBy(() -> this.intake.take("event", new FailingCapture(null)));
		assertThat(this.dropped.count(DropReason.SERIALIZATION)).isOne();
		assertThat(this.dropped.takeGaps()).singleElement()
			.extracting(DroppedGap::contextId, DroppedGap::reason)
			.containsExactly(null, DropReason.SERIALIZATION);
	}

	/**
	 * Captures nothing: its events' own code throws, as a {@code toString()} of an
	 * argument can. Without a context, reading the context throws too.
	 */
	private static final class FailingCapture implements EventCapture<String> {

		private final @Nullable String contextId;

		FailingCapture(@Nullable String contextId) {
			this.contextId = contextId;
		}

		@Override
		public String loggerName(String event) {
			return "com.example.Orders";
		}

		@Override
		public @Nullable String contextId(String event) {
			if (this.contextId == null) {
				throw new IllegalStateException("no context");
			}
			return this.contextId;
		}

		@Override
		public long timeMillis(String event) {
			return LOGGED_AT;
		}

		@Override
		public LogRecord capture(String event) {
			throw new IllegalStateException("toString() failed");
		}

	}

}
