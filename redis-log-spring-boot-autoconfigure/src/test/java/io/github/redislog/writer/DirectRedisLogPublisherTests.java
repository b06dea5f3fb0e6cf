package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.github.redislog.test.RedisStreams;

import org.junit.jupiter.api.Test;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DirectRedisLogPublisher}.
 */
class DirectRedisLogPublisherTests extends RedisLogPublisherContractTests<DirectRedisLogPublisher> {

	@Override
	protected DirectRedisLogPublisher createPublisher(String host, int port) {
		return new DirectRedisLogPublisher(endpoint(port), 1000);
	}

	@Test
	void failsFastWhileRedisIsDownAndReconnectsWhenItIsBack() {
		LogPayload payload = new LogPayload(null, null, bytes("{}"));
		publish(payload);
		redis.server().stop();
		try {
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(batch(payload)))
				.withMessageContaining("redis://127.0.0.1:" + redis.port());
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(batch(payload)))
				.withMessageContaining("Could not connect");
		}
		finally {
			redis.server().start();
		}
		publish(payload);
		assertThat(redis.template().opsForStream().size(this.channels.global().streamKey())).isEqualTo(1);
	}

	@Test
	void stopClosesAConnectionThatABatchIsStillOpening() {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("ACL", bytes("SETUSER"),
					bytes("log-writer"), bytes("on"), bytes(">s3cret"), bytes("~*"), bytes("+@all")));
		DirectRedisLogPublisher loggingIn = new DirectRedisLogPublisher(new RespEndpoint("127.0.0.1", redis.port(),
				"log-writer", "s3cret".toCharArray(), 0, Duration.ofSeconds(5), Duration.ofSeconds(5)), 1000);
		loggingIn.start();
		// Holds the login until the pause ends.
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("PAUSE"), bytes("1500"),
					bytes("ALL")));
		CountDownLatch started = new CountDownLatch(1);
		CompletableFuture<Void> batch = CompletableFuture.runAsync(() -> {
			started.countDown();
			loggingIn.publish(batch(new LogPayload(null, null, bytes("{}"))));
		});
		await().until(() -> started.getCount() == 0);
		await().during(Duration.ofMillis(200)).until(() -> !batch.isDone());
		loggingIn.stop();
		await().until(batch::isDone);
		assertThat(batch).isCompletedExceptionally();
		await().until(() -> publisherConnections() == 0);
	}

	@Test
	void writesTheNextBatchAheadWhileRedisWorksAndReadsItsRepliesWhenItIsPublished() {
		LogBatch first = batch(payload(null, "one"), payload(null, "two"));
		LogBatch next = batch(payload(null, "three"), payload(null, "four"));
		boolean[] writtenAhead = new boolean[1];
		this.publisher.publish(first, () -> writtenAhead[0] = this.publisher.writeAhead(next));
		assertThat(writtenAhead[0]).isTrue();
		assertThat(first.settle(null).delivered()).hasSize(2);
		await("Redis has the next batch before it is published").until(() -> globalMessages().size() == 4);
		this.publisher.publish(next, () -> {
		});
		assertThat(next.settle(null).delivered()).hasSize(2);
		assertThat(globalMessages()).containsExactly("one", "two", "three", "four");
		assertThat(publisherConnections()).isOne();
	}

	@Test
	void readsTheRepliesOfTheBatchWrittenAheadBeforeWritingAnother() {
		redis.template().opsForValue().set(this.channels.context("User.bob").streamKey(), "not a stream");
		LogBatch first = batch(payload(null, "one"));
		LogBatch next = batch(payload("User.bob", "three"));
		this.publisher.publish(first, () -> this.publisher.writeAhead(next));
		first.settle(null);
		// Another batch goes first, as another attempt at the first one would.
		LogBatch again = batch(payload(null, "two"));
		this.publisher.publish(again);
		assertThat(again.settle(null).delivered()).hasSize(1);
		this.publisher.publish(next);
		assertThat(next.settle(null).rejected()).singleElement()
			.extracting(BatchEntry::refusal)
			.asString()
			.contains("WRONGTYPE");
		assertThat(globalMessages()).containsExactly("one", "three", "two");
		assertThat(publisherConnections()).isOne();
	}

	@Test
	void writesABatchAgainWhenTheConnectionItWasWrittenAheadOnFailed() {
		LogBatch first = batch(payload(null, "one"));
		LogBatch next = batch(payload(null, "two"));
		// Redis holds the first batch unanswered until its connection is gone.
		execute("CLIENT", "PAUSE", "10000", "WRITE");
		try {
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(first, () -> {
					assertThat(this.publisher.writeAhead(next)).isTrue();
					execute("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
				}));
		}
		finally {
			execute("CLIENT", "UNPAUSE");
		}
		first.settle(new RedisConnectionFailureException("killed"));
		this.publisher.publish(first);
		assertThat(first.settle(null).delivered()).hasSize(1);
		this.publisher.publish(next);
		assertThat(next.settle(null).delivered()).hasSize(1);
		assertThat(globalMessages()).containsExactly("one", "two");
	}

	@Test
	void ignoresTheRepliesOfABatchWrittenAheadThatWasGivenUp() {
		LogBatch first = batch(payload(null, "one"));
		LogBatch next = batch(payload("User.bob", "two"));
		this.publisher.publish(first, () -> this.publisher.writeAhead(next));
		first.settle(null);
		// Given up unpublished, as by a worker thread that died, and filled anew.
		next.clear();
		next.add(payload(null, "three"), 0);
		this.publisher.publish(next);
		assertThat(next.settle(null).delivered()).hasSize(1);
		assertThat(globalMessages()).containsExactly("one", "two", "three");
		assertThat(publisherConnections()).isOne();
	}

	private List<String> globalMessages() {
		return new RedisStreams(redis.template()).messages(this.channels.global().streamKey());
	}

	private static void execute(String command, String... arguments) {
		byte[][] args = Arrays.stream(arguments).map(DirectRedisLogPublisherTests::bytes).toArray(byte[][]::new);
		redis.template().execute((RedisCallback<Object>) (connection) -> connection.execute(command, args));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private static RespEndpoint endpoint(int port) {
		return new RespEndpoint("127.0.0.1", port, null, null, 0, Duration.ofSeconds(5), Duration.ofSeconds(5));
	}

}
