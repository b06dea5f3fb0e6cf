package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.IntStream;

import io.github.redislog.test.RedisClusterProcesses;
import io.github.redislog.test.RedisServerProcess;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.wire.PubSubMode;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ClusterDirectRedisLogPublisher}, against a Redis Cluster of three
 * masters and three replicas of the class's own.
 */
class ClusterDirectRedisLogPublisherTests {

	@RegisterExtension
	static final RedisClusterProcesses cluster = new RedisClusterProcesses();

	private static RedisClient nodes;

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final LogChannels channels = new LogChannels(this.prefix, "global", Duration.ofHours(1),
			Duration.ofHours(24));

	private LettuceConnectionFactory connectionFactory;

	private ClusterDirectRedisLogPublisher publisher;

	@BeforeAll
	static void createNodeClient() {
		nodes = RedisClient.create();
	}

	@AfterAll
	static void shutDownNodeClient() {
		nodes.shutdown();
	}

	@BeforeEach
	void startPublisher() {
		this.connectionFactory = new LettuceConnectionFactory(new RedisClusterConfiguration(cluster.addresses()));
		this.connectionFactory.afterPropertiesSet();
		this.connectionFactory.start();
		String seed = cluster.addresses().get(0);
		RespEndpoint login = new RespEndpoint("127.0.0.1", Integer.parseInt(seed.substring(seed.indexOf(':') + 1)),
				null, null, 0, Duration.ofSeconds(2), Duration.ofSeconds(2));
		this.publisher = new ClusterDirectRedisLogPublisher(this.connectionFactory, login, 1000);
		this.publisher.start();
	}

	@AfterEach
	void stopPublisher() {
		this.publisher.stop();
		this.connectionFactory.destroy();
	}

	@Test
	void writesEachCommandToTheMasterOfItsKey() {
		List<String> users = users();
		assertThat(users.stream().map((user) -> cluster.masterOf(stream(user))).distinct()).hasSize(3);
		long redirectionsBefore = redirections();
		List<LogPayload> payloads = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			String user = users.get(i % users.size());
			payloads.add(new LogPayload((i % 5 == 0) ? "task_" + user : user, (i % 5 == 0) ? user : null,
					json(user + " " + i)));
		}
		AttemptOutcome outcome = publish(payloads.toArray(LogPayload[]::new));
		assertThat(outcome.delivered()).hasSize(20);
		assertThat(redirections()).isEqualTo(redirectionsBefore);
		RedisStreams streams = new RedisStreams(cluster.template());
		assertThat(streams.messages(stream("global"))).hasSize(20).doesNotHaveDuplicates();
		assertThat(streams.messages(stream("User.alice"))).containsExactly("User.alice 3", "User.alice 7",
				"User.alice 11", "User.alice 19");
		assertThat(cluster.template().opsForValue().get("owner:" + this.prefix + ":task_" + users.get(0)))
			.isEqualTo(users.get(0));
		assertThat(cluster.template().getExpire(stream(users.get(1)))).isBetween(3590L, 3600L);
		assertThat(cluster.template().getExpire(stream("global"))).isBetween(86390L, 86400L);
	}

	@Test
	void tellsEachCommandItsOwnReplyWhateverMasterItWentTo() {
		cluster.template().opsForValue().set(stream("User.bob"), "not a stream");
		LogBatch batch = batch(payload("User.alice", "alice"), payload("User.bob", "bob"), payload(null, "anonymous"),
				payload("User.carol", "carol"));
		this.publisher.publish(batch);
		AttemptOutcome outcome = batch.settle(null);
		assertThat(outcome.delivered()).extracting(BatchEntry::record).containsExactly(0, 2, 3);
		assertThat(outcome.rejected()).singleElement()
			.extracting(BatchEntry::refusal)
			.asString()
			.startsWith("XADD " + stream("User.bob") + ": WRONGTYPE");
		assertThat(batch.write(new RecordingLogCommands())).isZero();
		assertThat(new RedisStreams(cluster.template()).messages(stream("global"))).containsExactly("alice", "bob",
				"anonymous", "carol");
	}

	@Test
	void followsASlotThatMovedToAnotherMaster() {
		publish(payload("User.alice", "before"));
		String user = "User.erin";
		RedisServerProcess from = cluster.masterOf(stream(user));
		int to = anotherMaster(from.port());
		moveSlot(SlotHash.getSlot(stream(user)), from, to);
		LogBatch batch = batch(payload(user, "moved"));
		this.publisher.publish(batch);
		AttemptOutcome refused = batch.settle(null);
		assertThat(refused.delivered()).isEmpty();
		assertThat(refused.lastError()).startsWith("MOVED " + SlotHash.getSlot(stream(user)));
		this.publisher.publish(batch);
		assertThat(batch.settle(null).delivered()).hasSize(1);
		assertThat(cluster.masterOf(stream(user)).port()).isEqualTo(to);
		assertThat(new RedisStreams(cluster.template()).messages(stream(user))).containsExactly("moved");
		assertThat(new RedisStreams(cluster.template()).messages(stream("global"))).containsExactly("before", "moved");
	}

	@Test
	void sendsWhatAMigratingMasterAsksForToTheImportingNodeInTheSameAttempt() {
		publish(payload("User.alice", "before"));
		String user = "User.frank";
		int slot = SlotHash.getSlot(stream(user));
		RedisServerProcess from = cluster.masterOf(stream(user));
		int to = anotherMaster(from.port());
		startMigration(slot, from, to);
		try {
			// The key is not on the migrating master: it asks for the importing one.
			assertThat(publish(payload(user, "migrating")).delivered()).hasSize(1);
			// The slot may hold other tests' keys: the stream is the one that counts.
			List<String> importing = onNode(to, (node) -> node.clusterGetKeysInSlot(slot, 1000));
			List<String> migrating = onNode(from.port(), (node) -> node.clusterGetKeysInSlot(slot, 1000));
			assertThat(importing).contains(stream(user));
			assertThat(migrating).doesNotContain(stream(user));
		}
		finally {
			finishMigration(slot, from, to);
		}
		assertThat(new RedisStreams(cluster.template()).messages(stream(user))).containsExactly("migrating");
		assertThat(cluster.template().getExpire(stream(user))).isBetween(3590L, 3600L);
	}

	@Test
	void followsAFailoverThatAReplicaWasAskedFor() {
		publish(payload(null, "before"));
		RedisServerProcess master = cluster.masterOf(stream("global"));
		int replica = replicaOf(master);
		String failover = onNode(replica, (node) -> node.clusterFailover(false));
		assertThat(failover).isEqualTo("OK");
		await("the replica takes over").atMost(Duration.ofSeconds(30))
			.until(() -> cluster.masterOf(stream("global")).port() == replica);
		// The former master, a replica now, redirects: the batch follows.
		LogBatch batch = batch(payload(null, "after"));
		await().atMost(Duration.ofSeconds(10)).until(() -> publishedAll(batch));
		assertThat(new RedisStreams(cluster.template()).messages(stream("global"))).containsExactly("before",
				"after");
		await("the connection to the former master closed, once the topology is learned anew")
			.atMost(Duration.ofSeconds(10))
			.until(() -> publishedAll(batch(payload(null, "later"))) && publisherClients(master.port()) == 0);
	}

	@Test
	void resendsTheRecordsOfAKilledMasterOnceAReplicaTookOver() {
		String global = stream("global");
		// Wherever the random prefix puts the keys: a user whose stream is not on the global's master.
		String user = IntStream.range(0, 100)
			.mapToObj((i) -> "User.k" + i)
			.filter((candidate) -> cluster.masterOf(stream(candidate)) != cluster.masterOf(global))
			.findFirst()
			.orElseThrow();
		RedisServerProcess killed = cluster.masterOf(stream(user));
		// A record's keys: its stream and its context's owner key, besides the global stream.
		String survivor = IntStream.range(0, 100)
			.mapToObj((i) -> "User.u" + i)
			.filter((other) -> cluster.masterOf(stream(other)) != killed
					&& cluster.masterOf("owner:" + this.prefix + ":" + other) != killed)
			.findFirst()
			.orElseThrow();
		// No PUBLISH: a channel's slot may be on the killed master too.
		LogChannels streamsOnly = new LogChannels(this.prefix, "global", Duration.ofHours(1), Duration.ofHours(24),
				PubSubMode.OFF);
		LogBatch before = new LogBatch(streamsOnly);
		before.add(payload(user, "before"), 0);
		this.publisher.publish(before);
		assertThat(before.settle(null).delivered()).hasSize(1);
		// Else the replica may take over without it, as a real failover may lose it.
		assertThat(onNode(killed.port(), (node) -> node.waitForReplication(1, 5000)).longValue()).isOne();
		killed.kill();
		try {
			LogBatch batch = new LogBatch(streamsOnly);
			batch.add(payload(user, "during"), 0);
			batch.add(payload(survivor, "elsewhere"), 1);
			assertThatExceptionOfType(RedisConnectionFailureException.class)
				.isThrownBy(() -> this.publisher.publish(batch))
				.withMessageContaining("127.0.0.1:" + killed.port());
			AttemptOutcome outcome = batch.settle(new RedisConnectionFailureException("failed"));
			// What the other masters took is settled; the killed master's commands go again.
			assertThat(outcome.delivered()).extracting(BatchEntry::record).containsExactly(1);
			assertThat(outcome.rejected()).isEmpty();
			assertThat(batch.entries()).extracting(BatchEntry::record).containsExactly(0);
			cluster.awaitFailover(stream(user), killed);
			await().atMost(Duration.ofSeconds(20)).until(() -> publishedAll(batch));
		}
		finally {
			killed.start();
		}
		RedisStreams streams = new RedisStreams(cluster.template());
		assertThat(streams.messages(stream(user))).containsExactly("before", "during");
		assertThat(streams.messages(global)).containsExactly("before", "during", "elsewhere");
	}

	@Test
	void publishesToShardChannelsOnTheirMasters() {
		LogBatch batch = new LogBatch(new LogChannels(this.prefix, "global", Duration.ofHours(1),
				Duration.ofHours(24), PubSubMode.SHARDED));
		for (int i = 0; i < 4; i++) {
			batch.add(payload(users().get(i), "sharded"), i);
		}
		long redirectionsBefore = redirections();
		this.publisher.publish(batch);
		assertThat(batch.settle(null).delivered()).hasSize(4);
		// An SPUBLISH to another master than its channel's would be refused with MOVED.
		assertThat(redirections()).isEqualTo(redirectionsBefore);
	}

	@Test
	void runsTheWorkWhileRedisWorksOnceAfterSendingToEveryMaster() {
		LogBatch batch = batch(payload("User.alice", "a"), payload("User.bob", "b"), payload("User.carol", "c"));
		int[] runs = new int[1];
		this.publisher.publish(batch, () -> runs[0]++);
		assertThat(runs[0]).isEqualTo(1);
		assertThat(batch.settle(null).delivered()).hasSize(3);
	}

	@Test
	void stopClosesTheConnectionToEveryMaster() {
		List<String> users = users();
		publish(payload(users.get(0), "a"), payload(users.get(1), "b"), payload(users.get(2), "c"));
		long connections = publisherConnections();
		assertThat(connections).isEqualTo(3);
		this.publisher.stop();
		await().until(() -> publisherConnections() == 0);
	}

	// One attempt, settled as the worker would.
	private boolean publishedAll(LogBatch batch) {
		Throwable failure = null;
		try {
			this.publisher.publish(batch);
		}
		catch (RedisConnectionFailureException ex) {
			failure = ex;
		}
		batch.settle(failure);
		return batch.entries().isEmpty();
	}

	// Four users whose streams are on every master, whatever the prefix.
	private List<String> users() {
		List<String> users = new ArrayList<>();
		List<RedisServerProcess> masters = new ArrayList<>();
		for (int i = 0; users.size() < 3; i++) {
			RedisServerProcess master = cluster.masterOf(stream("User.u" + i));
			if (!masters.contains(master)) {
				masters.add(master);
				users.add("User.u" + i);
			}
		}
		users.add("User.alice");
		return users;
	}

	private AttemptOutcome publish(LogPayload... payloads) {
		LogBatch batch = batch(payloads);
		this.publisher.publish(batch);
		return batch.settle(null);
	}

	private LogBatch batch(LogPayload... payloads) {
		LogBatch batch = new LogBatch(this.channels);
		for (int i = 0; i < payloads.length; i++) {
			batch.add(payloads[i], i);
		}
		return batch;
	}

	private String stream(String context) {
		return "stream:" + this.prefix + ":" + context;
	}

	private static LogPayload payload(@Nullable String contextId, String message) {
		return new LogPayload(contextId, null, json(message));
	}

	private static byte[] json(String message) {
		return ("{\"message\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8);
	}

	// Moves an empty slot the way redis-cli --cluster reshard does.
	private static void moveSlot(int slot, RedisServerProcess from, int to) {
		startMigration(slot, from, to);
		assertThat(onNode(from.port(), (node) -> node.clusterCountKeysInSlot(slot)).longValue()).isZero();
		finishMigration(slot, from, to);
	}

	private static void startMigration(int slot, RedisServerProcess from, int to) {
		String fromId = onNode(from.port(), RedisCommands::clusterMyId);
		String toId = onNode(to, RedisCommands::clusterMyId);
		onNode(to, (node) -> node.clusterSetSlotImporting(slot, fromId));
		onNode(from.port(), (node) -> node.clusterSetSlotMigrating(slot, toId));
	}

	private static void finishMigration(int slot, RedisServerProcess from, int to) {
		String toId = onNode(to, RedisCommands::clusterMyId);
		onNode(to, (node) -> node.clusterSetSlotNode(slot, toId));
		onNode(from.port(), (node) -> node.clusterSetSlotNode(slot, toId));
		await("every node sees slot " + slot + " on its new master").atMost(Duration.ofSeconds(30))
			.until(() -> ports().stream()
				.allMatch((port) -> onNode(port, (node) -> node.clusterNodes()).lines()
					.anyMatch((line) -> line.startsWith(toId) && servesSlot(line, slot))));
	}

	private static boolean servesSlot(String line, int slot) {
		String[] fields = line.trim().split(" ");
		for (int i = 8; i < fields.length; i++) {
			String[] range = fields[i].split("-");
			if (!range[0].startsWith("[")) {
				int first = Integer.parseInt(range[0]);
				int last = (range.length > 1) ? Integer.parseInt(range[1]) : first;
				if (slot >= first && slot <= last) {
					return true;
				}
			}
		}
		return false;
	}

	// The port of a master that serves slots, other than the one given.
	private static int anotherMaster(int master) {
		return onNode(master, (node) -> node.clusterNodes()).lines()
			.map((line) -> line.trim().split(" "))
			.filter((fields) -> fields.length > 8 && fields[2].contains("master") && !fields[2].contains("fail"))
			.map((fields) -> Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1).split("[@,]")[0]))
			.filter((port) -> port != master)
			.findFirst()
			.orElseThrow();
	}

	private static int replicaOf(RedisServerProcess master) {
		String masterId = onNode(master.port(), RedisCommands::clusterMyId);
		return onNode(master.port(), (node) -> node.clusterNodes()).lines()
			.map((line) -> line.split(" "))
			.filter((fields) -> fields[2].contains("slave") && fields[3].equals(masterId))
			.map((fields) -> Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1).split("[@,]")[0]))
			.findFirst()
			.orElseThrow();
	}

	// MOVED and ASK replies all the running nodes gave so far.
	private static long redirections() {
		long total = 0;
		for (int port : ports()) {
			String errors = onNode(port, (node) -> node.info("errorstats"));
			for (String line : errors.lines().toList()) {
				if (line.startsWith("errorstat_MOVED:") || line.startsWith("errorstat_ASK:")) {
					total += Long.parseLong(line.substring(line.indexOf("count=") + 6).trim());
				}
			}
		}
		return total;
	}

	// Clients of the masters whose last command was one of the publisher's.
	private static long publisherConnections() {
		long total = 0;
		for (int port : ports()) {
			String info = onNode(port, (node) -> node.info("replication"));
			if (info.contains("role:master")) {
				total += publisherClients(port);
			}
		}
		return total;
	}

	// Clients of a node whose last command was one of the publisher's, not its replication link.
	private static long publisherClients(int port) {
		String clients = onNode(port, (node) -> node.clientList());
		return clients.lines()
			.filter((line) -> line.matches(".* flags=N .* cmd=(xadd|expire|publish|spublish) .*"))
			.count();
	}

	private static List<Integer> ports() {
		List<Integer> ports = new ArrayList<>();
		for (String address : cluster.addresses()) {
			int port = Integer.parseInt(address.substring(address.indexOf(':') + 1));
			if (isUp(port)) {
				ports.add(port);
			}
		}
		return ports;
	}

	private static boolean isUp(int port) {
		try (StatefulRedisConnection<String, String> connection = nodes.connect(RedisURI.create("127.0.0.1", port))) {
			return "PONG".equals(connection.sync().ping());
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	private static <T> T onNode(int port, Function<RedisCommands<String, String>, T> command) {
		try (StatefulRedisConnection<String, String> connection = nodes.connect(RedisURI.create("127.0.0.1", port))) {
			return command.apply(connection.sync());
		}
	}

}
