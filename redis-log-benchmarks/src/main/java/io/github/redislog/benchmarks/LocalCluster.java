package io.github.redislog.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import io.github.redislog.test.RedisServerProcess;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of masters only (a throughput benchmark needs no replicas), each a
 * {@link RedisServerProcess} on a free port whose bus port is free too, stopped by PID on
 * {@link #close()} and by the processes' shutdown hooks. Master {@code i} of {@code n}
 * serves the {@code i}-th of {@code n} equal slot ranges, as {@code redis-cli --cluster
 * create} would assign them. The slots are assigned with {@code CLUSTER ADDSLOTSRANGE}
 * rather than {@code redis-cli --cluster create}, which refuses fewer than three masters:
 * the benchmark compares one shard with three.
 *
 * @author Redis Log contributors
 */
final class LocalCluster implements RedisTarget {

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(30);

	private final List<RedisServerProcess> masters = new ArrayList<>();

	private LocalCluster() {
	}

	/**
	 * Start a cluster and wait until every master sees it healthy.
	 * @param size how many masters
	 * @return the running cluster
	 */
	static LocalCluster start(int size) {
		LocalCluster cluster = new LocalCluster();
		try {
			for (int i = 0; i < size; i++) {
				cluster.masters.add(RedisServerProcess.startOnFreePort(List.of("--cluster-enabled", "yes",
						"--cluster-config-file", "{dir}/nodes.conf", "--repl-diskless-sync-delay", "0")));
			}
			cluster.join();
			return cluster;
		}
		catch (RuntimeException ex) {
			cluster.close();
			throw ex;
		}
	}

	private void join() {
		int first = this.masters.get(0).port();
		for (int i = 0; i < this.masters.size(); i++) {
			int node = i;
			admin(this.masters.get(i).port(), (commands) -> {
				// Distinct epochs up front, as redis-cli sets them: no collision to resolve.
				commands.sync().clusterSetConfigEpoch(node + 1);
				commands.sync().clusterAddSlotsRange(Range.create(firstSlot(node), firstSlot(node + 1) - 1));
				if (node > 0) {
					commands.sync().clusterMeet("127.0.0.1", first);
				}
			});
		}
		await("a healthy cluster of " + this.masters.size()).atMost(STARTUP_TIMEOUT)
			.pollInterval(Duration.ofMillis(200))
			.until(() -> this.masters.stream().allMatch((master) -> isHealthy(master.port())));
	}

	private boolean isHealthy(int port) {
		String[] info = new String[1];
		admin(port, (commands) -> info[0] = commands.sync().clusterInfo());
		return info[0].contains("cluster_state:ok") && info[0].contains("cluster_known_nodes:" + this.masters.size());
	}

	private int firstSlot(int node) {
		return node * SlotHash.SLOT_COUNT / this.masters.size();
	}

	private static void admin(int port, Consumer<StatefulRedisConnection<String, String>> action) {
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			action.accept(connection);
		}
		finally {
			client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
		}
	}

	@Override
	public List<String> springArguments() {
		return List.of("--spring.data.redis.cluster.nodes=" + String.join(",",
				this.masters.stream().map((master) -> "127.0.0.1:" + master.port()).toList()));
	}

	@Override
	public List<Integer> ports() {
		return this.masters.stream().map(RedisServerProcess::port).toList();
	}

	@Override
	public int nodeOf(byte[] key) {
		int slot = SlotHash.getSlot(key);
		int node = this.masters.size() - 1;
		while (firstSlot(node) > slot) {
			node--;
		}
		return node;
	}

	@Override
	public String describe() {
		return "cluster of " + this.masters.size() + ((this.masters.size() == 1) ? " master" : " masters");
	}

	@Override
	public void close() {
		for (RedisServerProcess master : this.masters) {
			try {
				master.stop();
			}
			catch (RuntimeException ex) {
				// Stop the others all the same; the shutdown hooks still hold the PIDs.
			}
		}
		this.masters.clear();
	}

}
