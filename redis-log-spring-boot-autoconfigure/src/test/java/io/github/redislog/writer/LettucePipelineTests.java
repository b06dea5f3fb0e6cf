package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;

import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import io.github.redislog.wire.LogChannel;
import io.github.redislog.wire.LogChannels;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LettucePipeline}, on a {@code redis-server} of the test class's own:
 * what the pipeline itself guarantees under the {@link PipelinedRedisLogPublisher}.
 */
class LettucePipelineTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	// Long enough for a connection's handshake on a busy machine.
	private static final Duration TIMEOUT = Duration.ofSeconds(2);

	private final LogChannels channels = new LogChannels("pipeline", "global", Duration.ofHours(1),
			Duration.ofHours(24));

	private LettuceConnectionFactory connectionFactory;

	private RedisConnection connection;

	private LettucePipeline pipeline;

	@AfterEach
	void close() {
		try {
			redis.template().delete(redis.template().keys("*"));
		}
		finally {
			this.pipeline.release();
			this.connection.close();
			this.connectionFactory.destroy();
		}
	}

	@Test
	void tellsEachCommandItsOwnReplyAcrossDispatches() {
		open((options) -> {
		});
		redis.template().opsForValue().set(this.channels.context("User.bob").streamKey(), "not a stream");
		// Four commands a record and more: several dispatches of 100.
		LogBatch batch = batch(IntStream.range(0, 150)
			.mapToObj((i) -> new LogPayload((i % 3 == 1) ? "User.bob" : "User.alice", null, json("m" + i)))
			.toArray(LogPayload[]::new));
		AtomicInteger ranMeanwhile = new AtomicInteger();
		assertThat(this.pipeline.publish(batch, ranMeanwhile::incrementAndGet)).isTrue();
		assertThat(ranMeanwhile).as("work done while Redis replies").hasValue(1);
		AttemptOutcome outcome = batch.settle(null);
		assertThat(outcome.rejected()).extracting(BatchEntry::record)
			.containsExactlyElementsOf(IntStream.range(0, 150).filter((i) -> i % 3 == 1).boxed().toList());
		assertThat(outcome.delivered()).extracting(BatchEntry::record)
			.containsExactlyElementsOf(IntStream.range(0, 150).filter((i) -> i % 3 != 1).boxed().toList());
		assertThat(new RedisStreams(redis.template()).messages(this.channels.context("User.alice").streamKey()))
			.hasSize(100)
			.startsWith("m0", "m2", "m3");
	}

	@Test
	void writesPayloadsAndKeysOfAnyLengthAsTheyAre() {
		open((options) -> {
		});
		int[] lengths = { 1, 9, 10, 99, 100, 999, 1000, 65536 };
		LogPayload[] payloads = new LogPayload[lengths.length];
		for (int i = 0; i < lengths.length; i++) {
			byte[] json = "x".repeat(lengths[i]).getBytes(StandardCharsets.UTF_8);
			payloads[i] = new LogPayload("c".repeat(lengths[i]), null, json);
		}
		LogBatch batch = batch(payloads);
		assertThat(this.pipeline.publish(batch, () -> {
		})).isTrue();
		assertThat(batch.settle(null).delivered()).hasSize(lengths.length);
		List<String> global = redis.template()
			.opsForStream()
			.range(this.channels.global().streamKey(), Range.unbounded())
			.stream()
			.map((entry) -> (String) entry.getValue().get(LogChannel.PAYLOAD_FIELD))
			.toList();
		assertThat(global).containsExactlyElementsOf(IntStream.of(lengths).mapToObj("x"::repeat).toList());
		for (int length : lengths) {
			assertThat(redis.template().opsForStream().size(this.channels.context("c".repeat(length)).streamKey()))
				.isOne();
		}
	}

	@Test
	void waitsForRepliesNoLongerThanTheConnectionsTimeout() {
		open((options) -> {
		});
		clientPause(Duration.ofSeconds(8));
		try {
			long start = System.nanoTime();
			assertThatExceptionOfType(QueryTimeoutException.class)
				.isThrownBy(() -> publish(batch(new LogPayload(null, null, json("paused")))))
				.withMessageContaining("within " + TIMEOUT);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(TIMEOUT, Duration.ofSeconds(6));
		}
		finally {
			clientUnpause();
		}
	}

	@Test
	void cancelsWhatGotNoReplySoThatTheConnectionDoesNotSendItAgainOnReconnecting() {
		open((options) -> {
		});
		assertThat(publish(batch(new LogPayload(null, null, json("before"))))).isTrue();
		redis.server().stop();
		LogBatch next = batch(new LogPayload(null, null, json("next, given up")));
		try {
			await().until(() -> !this.pipeline.isOpen());
			// Lettuce holds the commands until it reconnects, and the pipeline gives up on
			// them and on the next batch's, dispatched ahead.
			assertThatExceptionOfType(QueryTimeoutException.class)
				.isThrownBy(() -> this.pipeline.publish(batch(new LogPayload(null, null, json("given up"))),
						() -> this.pipeline.writeAhead(next)));
		}
		finally {
			redis.server().start();
		}
		await().atMost(Duration.ofSeconds(30)).until(this.pipeline::isOpen);
		LogBatch after = batch(new LogPayload(null, null, json("after")));
		assertThat(publish(after)).isTrue();
		assertThat(after.settle(null).delivered()).hasSize(1);
		assertThat(new RedisStreams(redis.template()).messages(this.channels.global().streamKey()))
			.containsExactly("after");
	}

	@Test
	void dispatchesTheNextBatchAheadAndTellsItsRepliesWhenItIsPublished() {
		open((options) -> {
		});
		LogBatch first = batch(new LogPayload(null, null, json("one")));
		LogBatch next = batch(new LogPayload(null, null, json("two")), new LogPayload(null, null, json("three")));
		AtomicBoolean writtenAhead = new AtomicBoolean();
		assertThat(this.pipeline.publish(first, () -> writtenAhead.set(this.pipeline.writeAhead(next)))).isTrue();
		assertThat(writtenAhead).isTrue();
		assertThat(first.settle(null).delivered()).hasSize(1);
		await("Redis has the next batch before it is published").until(() -> globalMessages().size() == 3);
		assertThat(publish(next)).isTrue();
		assertThat(next.settle(null).delivered()).hasSize(2);
		assertThat(globalMessages()).containsExactly("one", "two", "three");
	}

	@Test
	void tellsTheBatchDispatchedAheadItsOwnRepliesWhenTheOneBeforeGoesAgainFirst() {
		open((options) -> {
		});
		redis.template().opsForValue().set(this.channels.context("User.bob").streamKey(), "not a stream");
		LogBatch first = batch(new LogPayload(null, null, json("one")));
		LogBatch next = batch(new LogPayload("User.bob", null, json("three")));
		assertThat(this.pipeline.publish(first, () -> this.pipeline.writeAhead(next))).isTrue();
		first.settle(null);
		LogBatch again = batch(new LogPayload(null, null, json("two")));
		assertThat(publish(again)).isTrue();
		assertThat(again.settle(null).delivered()).hasSize(1);
		assertThat(publish(next)).isTrue();
		assertThat(next.settle(null).rejected()).singleElement()
			.extracting(BatchEntry::refusal)
			.asString()
			.contains("WRONGTYPE");
		assertThat(globalMessages()).containsExactly("one", "three", "two");
	}

	@Test
	void leavesTheOutcomeUnknownWhenTheClientFailsACommandWithoutAReply() {
		open((options) -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS));
		assertThat(publish(batch(new LogPayload(null, null, json("before"))))).isTrue();
		redis.server().stop();
		try {
			await().until(() -> !this.pipeline.isOpen());
			LogBatch batch = batch(new LogPayload(null, null, json("rejected by the client")));
			assertThat(this.pipeline.publish(batch, () -> {
		})).isFalse();
			AttemptOutcome outcome = batch.settle(null);
			assertThat(outcome.delivered()).isEmpty();
			assertThat(outcome.rejected()).isEmpty();
			assertThat(batch.entries()).hasSize(1);
		}
		finally {
			redis.server().start();
		}
	}

	@Test
	void restoresTheConnectionsTimeoutOnRelease() {
		open((options) -> {
		});
		StatefulRedisConnection<?, ?> lettuce = nativeConnection();
		assertThat(lettuce.getTimeout()).isZero();
		this.pipeline.release();
		assertThat(lettuce.getTimeout()).isEqualTo(TIMEOUT);
	}

	private void open(Consumer<ClientOptions.Builder> options) {
		ClientOptions.Builder clientOptions = ClientOptions.builder();
		options.accept(clientOptions);
		LettuceClientConfiguration configuration = LettuceClientConfiguration.builder()
			.commandTimeout(TIMEOUT)
			.clientOptions(clientOptions.build())
			.build();
		this.connectionFactory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration(redis.host(), redis.port()), configuration);
		this.connectionFactory.setShareNativeConnection(false);
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		this.connection = this.connectionFactory.getConnection();
		this.pipeline = LettucePipeline.of(this.connection, 1000);
	}

	private StatefulRedisConnection<?, ?> nativeConnection() {
		LettuceConnection lettuce = (LettuceConnection) this.connection;
		lettuce.openPipeline();
		try {
			return ((RedisAsyncCommands<?, ?>) lettuce.getNativeConnection())
				.getStatefulConnection();
		}
		finally {
			lettuce.closePipeline();
		}
	}

	private LogBatch batch(LogPayload... payloads) {
		LogBatch batch = new LogBatch(this.channels);
		for (int i = 0; i < payloads.length; i++) {
			batch.add(payloads[i], i);
		}
		return batch;
	}

	private static byte[] json(String message) {
		return ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
	}

	private static void clientPause(Duration duration) {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("PAUSE"),
					bytes(String.valueOf(duration.toMillis())), bytes("WRITE")));
	}

	private static void clientUnpause() {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("UNPAUSE")));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private List<String> globalMessages() {
		return new RedisStreams(redis.template()).messages(this.channels.global().streamKey());
	}

	private boolean publish(LogBatch batch) {
		return this.pipeline.publish(batch, () -> {
		});
	}

}
