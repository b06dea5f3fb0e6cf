package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.redislog.wire.LogChannels;
import io.github.redislog.wire.PubSubMode;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LogBatch}: which commands each attempt writes and how replies settle
 * the records. The commands reach Redis in the publisher tests.
 */
class LogBatchTests {

	private final LogBatch batch = new LogBatch(
			new LogChannels("logs", "global", Duration.ofHours(1), Duration.ofHours(24)));

	@Test
	void anExpiryCountsOnlyForEntriesAlreadyInTheStream() {
		this.batch.add(payload("job_1", "User.alice"), 0);
		RecordingLogCommands first = write();
		assertThat(first.commands()).containsExactly("SET owner:logs:job_1", "XADD stream:logs:job_1",
				"PUBLISH logs:job_1", "XADD stream:logs:global", "PUBLISH logs:global", "EXPIRE stream:logs:job_1",
				"EXPIRE owner:logs:job_1", "EXPIRE stream:logs:global");
		// Out of memory: the owner and the entries are refused, the rest is taken.
		replyAll(first, "OOM command not allowed", 0, 1, 3);
		AttemptOutcome settlement = this.batch.settle(null);
		assertThat(settlement.delivered()).isEmpty();
		assertThat(settlement.lastError()).startsWith("OOM");
		assertThat(write().commands()).containsExactly("SET owner:logs:job_1", "XADD stream:logs:job_1",
				"XADD stream:logs:global", "EXPIRE stream:logs:job_1", "EXPIRE owner:logs:job_1",
				"EXPIRE stream:logs:global");
	}

	@Test
	void everyWriteToAContextsStreamRefreshesItsOwnerKeyAfterTheStream() {
		this.batch.add(payload("job_1", null), 0);
		// A note about dropped records names no owner either.
		this.batch.add(payload("job_1", null), -1);
		assertThat(write().commands()).filteredOn((command) -> command.startsWith("EXPIRE"))
			.containsExactly("EXPIRE stream:logs:job_1", "EXPIRE owner:logs:job_1", "EXPIRE stream:logs:global");
	}

	@Test
	void sharedCommandsAreWrittenOncePerChannelAndSettleEveryRecordOfIt() {
		this.batch.add(payload("job_1", "User.alice"), 0);
		this.batch.add(payload("job_1", "User.alice"), 1);
		this.batch.add(payload(null, null), 2);
		RecordingLogCommands commands = write();
		assertThat(commands.commands()).filteredOn((name) -> name.startsWith("SET") || name.startsWith("EXPIRE"))
			.containsExactly("SET owner:logs:job_1", "EXPIRE stream:logs:job_1", "EXPIRE owner:logs:job_1",
					"EXPIRE stream:logs:global");
		for (int i = 0; i < commands.commands().size(); i++) {
			this.batch.replied(i, null);
		}
		AttemptOutcome settlement = this.batch.settle(null);
		assertThat(settlement.delivered()).extracting(BatchEntry::record).containsExactly(0, 1, 2);
		assertThat(this.batch.entries()).isEmpty();
	}

	@Test
	void anOwnerOrExpiryRefusedForGoodCostsNoRecordWhoseEntryIsInTheStream() {
		this.batch.add(payload("job_1", "User.alice"), 0);
		this.batch.add(payload(null, null), 1);
		RecordingLogCommands commands = write();
		for (int i = 0; i < commands.commands().size(); i++) {
			String command = commands.commands().get(i);
			boolean refused = command.startsWith("SET") || command.equals("EXPIRE stream:logs:global");
			this.batch.replied(i, refused ? "NOPERM no permissions" : null);
		}
		AttemptOutcome settlement = this.batch.settle(null);
		assertThat(settlement.delivered()).extracting(BatchEntry::record).containsExactly(0, 1);
		assertThat(settlement.rejected()).isEmpty();
		assertThat(settlement.refusedOwners()).containsExactly("SET owner:logs:job_1: NOPERM no permissions");
		assertThat(settlement.refusedExpiries()).containsExactly("EXPIRE stream:logs:global: NOPERM no permissions");
	}

	@Test
	void anExpiryRefusedForGoodIsSentAgainWithAnEntryStillToWrite() {
		this.batch.add(payload(null, null), 0);
		write();
		this.batch.replied(0, "OOM command not allowed");
		this.batch.replied(1, null);
		this.batch.replied(2, "NOPERM no permissions");
		AttemptOutcome settlement = this.batch.settle(null);
		assertThat(settlement.rejected()).isEmpty();
		assertThat(settlement.refusedExpiries()).isEmpty();
		assertThat(write().commands()).containsExactly("XADD stream:logs:global", "EXPIRE stream:logs:global");
	}

	@Test
	void aPublisherThatKeepsReturningWithoutRepliesGetsBoundedAttempts() {
		this.batch.add(payload(null, null), 0);
		this.batch.add(payload(null, null), 1);
		List<Integer> delivered = new ArrayList<>();
		for (int attempt = 1; attempt < BatchSettlement.MAX_UNANSWERED_ATTEMPTS; attempt++) {
			RecordingLogCommands commands = write();
			// Every command is answered but the second record's XADD.
			int unanswered = commands.commands().lastIndexOf("XADD stream:logs:global");
			for (int i = 0; i < commands.commands().size(); i++) {
				if (i != unanswered) {
					this.batch.replied(i, null);
				}
			}
			AttemptOutcome settlement = this.batch.settle(null);
			settlement.delivered().forEach((entry) -> delivered.add(entry.record()));
			assertThat(settlement.rejected()).isEmpty();
			assertThat(settlement.lastError()).isEqualTo("no reply");
		}
		assertThat(delivered).containsExactly(0);
		write();
		AttemptOutcome settlement = this.batch.settle(null);
		assertThat(settlement.delivered()).isEmpty();
		assertThat(settlement.rejected()).singleElement().satisfies((entry) -> {
			assertThat(entry.record()).isEqualTo(1);
			assertThat(entry.isUnanswered()).isTrue();
			assertThat(entry.refusal()).isEqualTo("XADD stream:logs:global: no reply");
		});
		assertThat(this.batch.entries()).isEmpty();
	}

	@Test
	void commandsWithoutAReplyAreSentAgainAfterAConnectionFailure() {
		this.batch.add(payload(null, null), 0);
		RecordingLogCommands first = write();
		this.batch.replied(0, null);
		AttemptOutcome settlement = this.batch.settle(new RedisConnectionFailureException("Connection reset"));
		assertThat(settlement.rejected()).isEmpty();
		assertThat(settlement.lastError()).contains("Connection reset");
		assertThat(first.commands()).hasSize(3);
		assertThat(write().commands()).containsExactly("PUBLISH logs:global", "EXPIRE stream:logs:global");
	}

	@Test
	void anErrorThatIsNoReplyOfRedisLeavesTheOutcomeUnknown() {
		this.batch.add(payload(null, null), 0);
		write();
		this.batch.replied(0, "io.lettuce.core.RedisConnectionException: Unable to connect to 127.0.0.1:7000");
		AttemptOutcome settlement = this.batch.settle(null);
		assertThat(settlement.rejected()).isEmpty();
		assertThat(this.batch.entries()).hasSize(1);
		assertThat(write().commands()).startsWith("XADD stream:logs:global");
	}

	@Test
	void aPublisherThatFailsForGoodRejectsWhatItLeftWithoutAReply() {
		this.batch.add(payload(null, null), 0);
		this.batch.add(payload(null, null), 1);
		AttemptOutcome settlement = this.batch.settle(new IllegalStateException("publisher is broken"));
		assertThat(settlement.rejected()).hasSize(2)
			.allSatisfy((entry) -> assertThat(entry.refusal()).contains("publisher is broken"));
		assertThat(this.batch.entries()).isEmpty();
	}

	@Test
	void writesStreamsOnlyWhenPubSubIsOff() {
		LogBatch batch = new LogBatch(new LogChannels("logs", "global", Duration.ofHours(1), Duration.ofHours(24),
				PubSubMode.OFF));
		batch.add(payload("job_1", null), 0);
		RecordingLogCommands commands = new RecordingLogCommands();
		batch.write(commands);
		assertThat(commands.commands()).containsExactly("XADD stream:logs:job_1", "XADD stream:logs:global",
				"EXPIRE stream:logs:job_1", "EXPIRE owner:logs:job_1", "EXPIRE stream:logs:global");
	}

	@Test
	void whenPubSubIsAutoStopsPublishingToAChannelOnlyWhenAReplySaysNobodyListens() {
		LogBatch batch = new LogBatch(new LogChannels("logs", "global", Duration.ofHours(1), Duration.ofHours(24),
				PubSubMode.AUTO));
		batch.add(payload("job_1", null), 0);
		RecordingLogCommands first = new RecordingLogCommands();
		batch.write(first);
		assertThat(first.commands()).containsExactly("XADD stream:logs:job_1", "PUBLISH logs:job_1",
				"XADD stream:logs:global", "PUBLISH logs:global", "EXPIRE stream:logs:job_1",
				"EXPIRE owner:logs:job_1", "EXPIRE stream:logs:global");
		// Replies without a count (a publisher that does not read them) or to other commands
		// teach nothing; a PUBLISH that reached nobody does.
		batch.receivedBy(0, 0);
		batch.receivedBy(1, 0);
		batch.receivedBy(3, 2);
		batch.clear();
		batch.add(payload("job_1", null), 0);
		RecordingLogCommands second = new RecordingLogCommands();
		batch.write(second);
		assertThat(second.names()).containsExactly("XADD", "XADD", "PUBLISH", "EXPIRE", "EXPIRE", "EXPIRE");
		assertThat(second.commands()).contains("PUBLISH logs:global");
	}

	@Test
	void aPublisherThatWritesThenFailsForGoodRejectsWhatItLeftWithoutAReply() {
		this.batch.add(payload(null, null), 0);
		write();
		this.batch.replied(0, null);
		AttemptOutcome settlement = this.batch.settle(new IllegalStateException("publisher is broken"));
		assertThat(settlement.rejected()).singleElement()
			.satisfies((entry) -> assertThat(entry.refusal()).startsWith("PUBLISH logs:global: ")
				.contains("publisher is broken"));
		assertThat(this.batch.entries()).isEmpty();
	}

	@Test
	void aPublisherThatWritesNothingAndReturnsRejectsTheBatch() {
		this.batch.add(payload(null, null), 0);
		assertThat(this.batch.settle(null).rejected()).singleElement()
			.satisfies((entry) -> assertThat(entry.refusal()).contains("wrote none"));
	}

	@Test
	void repliesOfAWriteThatWasNeverSettledDoNotCountForTheNext() {
		this.batch.add(payload(null, null), 0);
		write();
		this.batch.replied(0, null);
		this.batch.replied(1, null);
		this.batch.replied(2, null);
		// As if the thread died here: the next attempt writes again and gets no reply.
		write();
		AttemptOutcome settlement = this.batch.settle(new RedisConnectionFailureException("Connection reset"));
		assertThat(settlement.delivered()).isEmpty();
		assertThat(this.batch.entries()).hasSize(1);
	}

	@Test
	void aReplyToACommandThatWasNotWrittenIsRefused() {
		this.batch.add(payload(null, null), 0);
		write();
		assertThatIllegalArgumentException().isThrownBy(() -> this.batch.replied(3, null))
			.withMessage("No command 3 in the last write of 3 commands");
	}

	private RecordingLogCommands write() {
		RecordingLogCommands commands = new RecordingLogCommands();
		this.batch.write(commands);
		return commands;
	}

	private void replyAll(RecordingLogCommands commands, String error, int... refused) {
		for (int i = 0; i < commands.commands().size(); i++) {
			int command = i;
			boolean isRefused = Arrays.stream(refused).anyMatch((n) -> n == command);
			this.batch.replied(i, isRefused ? error : null);
		}
	}

	private static LogPayload payload(String contextId, String ownerId) {
		return new LogPayload(contextId, ownerId, "{}".getBytes(StandardCharsets.UTF_8));
	}

}
