package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.wire.PubSubMode;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What every {@link RedisLogPublisher} of the starter does, against a
 * {@code redis-server} of the test class's own, whose connection count only the publisher
 * moves.
 *
 * @param <P> the type of publisher
 */
abstract class RedisLogPublisherContractTests<P extends RedisLogPublisher & SmartLifecycle> {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	protected final LogChannels channels = new LogChannels(this.prefix, "global", Duration.ofHours(1),
			Duration.ofHours(24));

	protected P publisher;

	@BeforeEach
	void startPublisher() {
		this.publisher = createPublisher(redis.host(), redis.port());
		this.publisher.start();
	}

	@AfterEach
	void stopPublisher() {
		this.publisher.stop();
		destroy();
	}

	/**
	 * Create the publisher under test, writing to {@link #channels} with streams capped at
	 * 1000 entries.
	 * @param host the host of the test's Redis
	 * @param port the port of the test's Redis
	 * @return the publisher, not started
	 */
	protected abstract P createPublisher(String host, int port);

	/**
	 * Release what {@link #createPublisher} made besides the publisher.
	 */
	protected boolean stopClosesTheSocket() {
		return true;
	}

	protected void destroy() {
	}

	@Test
	void writesEveryBatchOverTheSameConnection() {
		long connectionsBefore = connectionsReceived();
		for (int i = 0; i < 5; i++) {
			assertThat(publish(payload("User.alice", "alice " + i), payload(null, "anonymous " + i)).delivered())
				.hasSize(2);
		}
		assertThat(connectionsReceived() - connectionsBefore).isEqualTo(1);
		RedisStreams streams = new RedisStreams(redis.template());
		assertThat(streams.messages("stream:" + this.prefix + ":User.alice")).containsExactly("alice 0", "alice 1",
				"alice 2", "alice 3", "alice 4");
		assertThat(streams.messages("stream:" + this.prefix + ":global")).hasSize(10)
			.startsWith("alice 0", "anonymous 0")
			.endsWith("alice 4", "anonymous 4");
	}

	@Test
	void rejectsOnlyTheRecordsOfAKeyOfTheWrongTypeAndNeverSendsAcceptedCommandsAgain() {
		redis.template().opsForValue().set("stream:" + this.prefix + ":User.bob", "not a stream");
		LogBatch batch = batch(payload("User.alice", "alice"), payload("User.bob", "bob"), payload(null, "anonymous"));
		this.publisher.publish(batch);
		AttemptOutcome settlement = batch.settle(null);
		assertThat(settlement.delivered()).extracting(BatchEntry::record).containsExactly(0, 2);
		assertThat(settlement.rejected()).singleElement()
			.extracting(BatchEntry::refusal)
			.asString()
			.startsWith("XADD stream:" + this.prefix + ":User.bob: WRONGTYPE");
		assertThat(batch.entries()).isEmpty();
		assertThat(batch.write(new RecordingLogCommands())).isZero();
		RedisStreams streams = new RedisStreams(redis.template());
		assertThat(streams.messages("stream:" + this.prefix + ":global")).containsExactly("alice", "bob",
				"anonymous");
		assertThat(streams.messages("stream:" + this.prefix + ":User.alice")).containsExactly("alice");
	}

	@Test
	void keepsItsConnectionAfterRedisRefusedACommand() {
		publish(payload(null, "before"));
		redis.template().opsForValue().set("stream:" + this.prefix + ":global", "not a stream");
		assertThat(publish(payload(null, "rejected")).rejected()).hasSize(1);
		redis.template().delete("stream:" + this.prefix + ":global");
		long connectionsBefore = connectionsReceived();
		assertThat(publish(payload(null, "after")).delivered()).hasSize(1);
		assertThat(connectionsReceived() - connectionsBefore).isZero();
		assertThat(new RedisStreams(redis.template()).messages("stream:" + this.prefix + ":global"))
			.containsExactly("after");
	}

	@Test
	void sendsAgainOnlyWhatRedisRefusedForNowSoLiveSubscribersSeeEachRecordOnce() {
		List<String> live = new CopyOnWriteArrayList<>();
		RedisConnection subscriber = redis.template().getRequiredConnectionFactory().getConnection();
		try {
			subscriber.subscribe((message, pattern) -> live.add(new String(message.getBody(), StandardCharsets.UTF_8)),
					bytes(this.prefix + ":global"));
			LogBatch batch = batch(new LogPayload("task_1", "User.alice", json("started")), payload(null, "other"));
			setMaxMemory(1);
			try {
				this.publisher.publish(batch);
				AttemptOutcome settlement = batch.settle(null);
				assertThat(settlement.delivered()).isEmpty();
				assertThat(settlement.rejected()).isEmpty();
				assertThat(settlement.lastError()).startsWith("OOM");
				assertThat(batch.entries()).hasSize(2);
			}
			finally {
				setMaxMemory(0);
			}
			RecordingLogCommands retried = new RecordingLogCommands();
			batch.write(retried);
			assertThat(retried.names()).containsExactly("SET", "XADD", "XADD", "XADD", "EXPIRE", "EXPIRE", "EXPIRE");
			this.publisher.publish(batch);
			assertThat(batch.settle(null).delivered()).hasSize(2);
			StringRedisTemplate template = redis.template();
			assertThat(template.opsForValue().get("owner:" + this.prefix + ":task_1")).isEqualTo("User.alice");
			assertThat(template.getExpire("stream:" + this.prefix + ":task_1")).isPositive();
			assertThat(template.getExpire("stream:" + this.prefix + ":global")).isPositive();
			await().untilAsserted(() -> assertThat(live).hasSize(2));
			assertThat(live).containsExactly(new String(json("started"), StandardCharsets.UTF_8),
					new String(json("other"), StandardCharsets.UTF_8));
		}
		finally {
			subscriber.close();
		}
	}

	@Test
	void writesOwnersFirstThenEntriesThenExpiries() {
		LogBatch batch = batch(new LogPayload("task_1", "User.alice", json("started")), payload("task_1", "working"),
				payload(null, "elsewhere"));
		RecordingLogCommands commands = new RecordingLogCommands();
		batch.write(commands);
		assertThat(commands.names()).containsExactly("SET", "XADD", "PUBLISH", "XADD", "PUBLISH", "XADD", "PUBLISH",
				"XADD", "PUBLISH", "XADD", "PUBLISH", "EXPIRE", "EXPIRE", "EXPIRE");
		this.publisher.publish(batch);
		assertThat(batch.settle(null).delivered()).hasSize(3);
		StringRedisTemplate template = redis.template();
		assertThat(template.opsForValue().get("owner:" + this.prefix + ":task_1")).isEqualTo("User.alice");
		assertThat(template.getExpire("owner:" + this.prefix + ":task_1")).isBetween(3590L, 3600L);
		assertThat(template.getExpire("stream:" + this.prefix + ":task_1")).isBetween(3590L, 3600L);
		assertThat(template.getExpire("stream:" + this.prefix + ":global")).isBetween(86390L, 86400L);
		assertThat(new RedisStreams(template).messages("stream:" + this.prefix + ":task_1")).containsExactly("started",
				"working");
		assertThat(new RedisStreams(template).messages("stream:" + this.prefix + ":global")).containsExactly("started",
				"working", "elsewhere");
	}

	@Test
	void setsAnOwnerOnceAndRenewsItWithoutReplacingIt() {
		StringRedisTemplate template = redis.template();
		String ownerKey = "owner:" + this.prefix + ":task_1";
		publish(new LogPayload("task_1", "User.alice", json("alice opened it")));
		template.expire(ownerKey, Duration.ofSeconds(100));
		publish(new LogPayload("task_1", "User.bob", json("bob opened the same id")));
		assertThat(template.opsForValue().get(ownerKey)).isEqualTo("User.alice");
		assertThat(template.getExpire(ownerKey)).isBetween(3590L, 3600L);
	}

	@Test
	void storesOwnersEncodedSoThatNoTwoOwnersLookAlike() {
		String loneSurrogate = "User.\uD800";
		publish(new LogPayload("task_1", loneSurrogate, json("started")), new LogPayload("task_2", "User.?",
				json("started")));
		StringRedisTemplate template = redis.template();
		assertThat(template.opsForValue().get("owner:" + this.prefix + ":task_1"))
			.isEqualTo(this.channels.encode(loneSurrogate))
			.isNotEqualTo(template.opsForValue().get("owner:" + this.prefix + ":task_2"));
	}

	@Test
	void publishesToShardChannelsWhenPubSubIsSharded() {
		List<String> live = new CopyOnWriteArrayList<>();
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
			subscriber.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void smessage(String channel, String message) {
					live.add(channel + " " + message);
				}

			});
			subscriber.sync().ssubscribe(this.prefix + ":User.alice", this.prefix + ":global");
			LogBatch batch = new LogBatch(new LogChannels(this.prefix, "global", Duration.ofHours(1),
					Duration.ofHours(24), PubSubMode.SHARDED));
			batch.add(payload("User.alice", "sharded"), 0);
			this.publisher.publish(batch);
			assertThat(batch.settle(null).delivered()).hasSize(1);
			await().untilAsserted(() -> assertThat(live).containsExactlyInAnyOrder(
					this.prefix + ":User.alice {\"message\":\"sharded\"}",
					this.prefix + ":global {\"message\":\"sharded\"}"));
		}
		finally {
			client.shutdown();
		}
		assertThat(new RedisStreams(redis.template()).messages("stream:" + this.prefix + ":global"))
			.containsExactly("sharded");
	}

	@Test
	void publishesOnlyToChannelsThatHaveSubscribersWhenPubSubIsAuto() {
		LogBatch batch = new LogBatch(new LogChannels(this.prefix, "global", Duration.ofHours(1),
				Duration.ofHours(24), PubSubMode.AUTO));
		// Nobody listens: the first batch's replies say so, and the next batch publishes nothing.
		publish(batch, payload("User.alice", "unheard 1"));
		long publishes = publishCalls();
		publish(batch, payload("User.alice", "unheard 2"));
		assertThat(publishCalls()).isEqualTo(publishes);
		List<String> live = new CopyOnWriteArrayList<>();
		RedisClient client = RedisClient.create(RedisURI.create(redis.host(), redis.port()));
		try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
			subscriber.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					live.add(message);
				}

			});
			subscriber.sync().subscribe(this.prefix + ":global");
			// Found within about a second: one record is published to a silent channel again.
			await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
				publish(batch, payload("User.alice", "probe"));
				return !live.isEmpty();
			});
			publish(batch, payload("User.alice", "heard 1"), payload("User.alice", "heard 2"));
			await().untilAsserted(() -> assertThat(live).endsWith("{\"message\":\"heard 1\"}",
					"{\"message\":\"heard 2\"}"));
		}
		finally {
			client.shutdown();
		}
		assertThat(new RedisStreams(redis.template()).messages("stream:" + this.prefix + ":User.alice"))
			.startsWith("unheard 1", "unheard 2")
			.endsWith("heard 1", "heard 2");
	}

	@Test
	void capsStreamsAtAboutTheirMaximumLength() {
		for (int i = 0; i < 30; i++) {
			publish(IntStream.range(0, 100).mapToObj((n) -> payload(null, "m" + n)).toArray(LogPayload[]::new));
		}
		assertThat(redis.template().opsForStream().size("stream:" + this.prefix + ":global")).isBetween(1000L, 1200L);
	}

	@Test
	void stopClosesTheConnection() {
		assumeTrue(stopClosesTheSocket(), "the connection's socket belongs to the connection factory's pool");
		publish(payload(null, "m"));
		assertThat(publisherConnections()).isEqualTo(1);
		this.publisher.stop();
		assertThat(this.publisher.isRunning()).isFalse();
		await().until(() -> publisherConnections() == 0);
	}

	/**
	 * Write a batch of payloads and settle it.
	 * @param payloads the payloads
	 * @return what the attempt settled
	 */
	protected final AttemptOutcome publish(LogPayload... payloads) {
		LogBatch batch = batch(payloads);
		this.publisher.publish(batch);
		return batch.settle(null);
	}

	private void publish(LogBatch batch, LogPayload... payloads) {
		batch.clear();
		for (int i = 0; i < payloads.length; i++) {
			batch.add(payloads[i], i);
		}
		this.publisher.publish(batch);
		assertThat(batch.settle(null).delivered()).hasSize(payloads.length);
	}

	private static long publishCalls() {
		Properties stats = redis.template()
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("commandstats"));
		String publish = Objects.requireNonNull(stats).getProperty("cmdstat_publish", "calls=0,");
		return Long.parseLong(publish.substring("calls=".length(), publish.indexOf(',')));
	}

	protected final LogBatch batch(LogPayload... payloads) {
		LogBatch batch = new LogBatch(this.channels);
		for (int i = 0; i < payloads.length; i++) {
			batch.add(payloads[i], i);
		}
		return batch;
	}

	protected static LogPayload payload(@Nullable String contextId, String message) {
		return new LogPayload(contextId, null, json(message));
	}

	protected static byte[] json(String message) {
		return ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
	}

	private static void setMaxMemory(long bytes) {
		redis.template().execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().setConfig("maxmemory-policy", "noeviction");
			connection.serverCommands().setConfig("maxmemory", String.valueOf(bytes));
			return null;
		});
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	private long connectionsReceived() {
		String stats = redis.template()
			.execute((RedisCallback<String>) (connection) -> Objects
				.requireNonNull(connection.serverCommands().info("stats"))
				.getProperty("total_connections_received"));
		return Long.parseLong(Objects.requireNonNull(stats));
	}

	// Clients other than the test's own template: the one the publisher holds.
	protected final long publisherConnections() {
		Integer clients = redis.template()
			.execute((RedisCallback<Integer>) (connection) -> Objects
				.requireNonNull(connection.serverCommands().getClientList())
				.size());
		return Objects.requireNonNull(clients) - 1;
	}

}
