package io.github.redislog.web;

import java.time.Duration;
import java.util.UUID;

import io.github.redislog.test.TestRedis;
import io.github.redislog.wire.LogChannels;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link OwnerLogStreamAccessPolicy} against owner keys as the delivery writes
 * them: encoded, so that look-alike ids never match.
 */
class OwnerLogStreamAccessPolicyTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final LogChannels channels = new LogChannels("t" + UUID.randomUUID().toString().substring(0, 8),
			"global", Duration.ofHours(1), Duration.ofHours(24));

	private final LogStreams streams = new LogStreams(redis.template().getRequiredConnectionFactory(),
			this.channels);

	private final OwnerLogStreamAccessPolicy policy = new OwnerLogStreamAccessPolicy(this.streams, "ROLE_ADMIN");

	@Test
	void theOwnerOfAJobReadsItWhateverCharactersTheirNameHas() {
		ownJob("job_1", "User.jos\u00E9");
		assertThat(this.policy.canRead(viewer("User.jos\u00E9"), "job_1")).isTrue();
		assertThat(this.policy.canRead(viewer("User.jos%C3%A9"), "job_1")).isFalse();
		assertThat(this.policy.canRead(viewer("User.jose"), "job_1")).isFalse();
	}

	@Test
	void aNameThatALoneSurrogateWouldBecomeReadsNothingOfIt() {
		ownJob("job_2", "User.\uD800");
		assertThat(this.policy.canRead(viewer("User.?"), "job_2")).isFalse();
		assertThat(this.policy.canRead(viewer("User.\uD800"), "job_2")).isTrue();
	}

	@Test
	void anOwnerKeyNeverOpensAUsersContext() {
		ownJob("User.alice", "User.bob");
		assertThat(this.policy.canRead(viewer("User.bob"), "User.alice")).isFalse();
		assertThat(this.policy.canRead(viewer("User.alice"), "User.alice")).isTrue();
	}

	// As the delivery writes it: encoded, like a channel name.
	private void ownJob(String contextId, String ownerId) {
		redis.template()
			.opsForValue()
			.set(this.channels.context(contextId).ownerKey(), this.channels.encode(ownerId), Duration.ofMinutes(5));
	}

	private static LogViewer viewer(String contextId) {
		return new LogViewer(contextId.substring("User.".length()), contextId, (authority) -> false);
	}

}
