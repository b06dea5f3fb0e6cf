package io.github.redislog.writer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChannelAudience}.
 */
class ChannelAudienceTests {

	private static final long SECOND = ChannelAudience.RECHECK_INTERVAL.toNanos();

	private final ChannelAudience audience = new ChannelAudience();

	@Test
	void publishesToAChannelUntilAReplySaysNobodyListens() {
		assertThat(this.audience.shouldPublish("logs:global", 0)).isTrue();
		this.audience.heard("logs:global", 2, 0);
		assertThat(this.audience.shouldPublish("logs:global", 1)).isTrue();
		this.audience.heard("logs:global", 0, 1);
		assertThat(this.audience.shouldPublish("logs:global", 2)).isFalse();
	}

	@Test
	void publishesOneRecordToASilentChannelOncePerInterval() {
		this.audience.heard("logs:global", 0, 0);
		assertThat(this.audience.shouldPublish("logs:global", SECOND - 1)).isFalse();
		assertThat(this.audience.shouldPublish("logs:global", SECOND)).isTrue();
		assertThat(this.audience.shouldPublish("logs:global", SECOND + 1)).isFalse();
		// The recheck's own reply, still nobody, does not put the next one off.
		this.audience.heard("logs:global", 0, SECOND + 2);
		assertThat(this.audience.shouldPublish("logs:global", 2 * SECOND)).isTrue();
	}

	@Test
	void publishesToEveryRecordOnceARecheckFindsASubscriber() {
		this.audience.heard("logs:global", 0, 0);
		assertThat(this.audience.shouldPublish("logs:global", SECOND)).isTrue();
		this.audience.heard("logs:global", 1, SECOND);
		assertThat(this.audience.shouldPublish("logs:global", SECOND + 1)).isTrue();
		assertThat(this.audience.shouldPublish("logs:global", SECOND + 2)).isTrue();
	}

	@Test
	void forgetsTheSilentChannelsWrittenLeastRecentlyAndPublishesToThemAgain() {
		for (int i = 0; i <= ChannelAudience.MAX_CHANNELS; i++) {
			this.audience.heard("logs:job_" + i, 0, 0);
		}
		assertThat(this.audience.shouldPublish("logs:job_0", 1)).isTrue();
		assertThat(this.audience.shouldPublish("logs:job_1", 1)).isFalse();
	}

}
