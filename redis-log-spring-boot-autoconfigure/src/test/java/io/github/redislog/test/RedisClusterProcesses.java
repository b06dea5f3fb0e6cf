package io.github.redislog.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.awaitility.Awaitility.await;

/**
 * A Redis Cluster of the test class's own: three masters and three replicas, each a
 * {@link RedisServerProcess} on a free port, created with {@code redis-cli --cluster create}
 * and stopped by PID after the class. A small node timeout lets a replica take over a
 * killed master within a few seconds. Register it as a static {@code @RegisterExtension}
 * field.
 *
 * @author Redis Log contributors
 */
public final class RedisClusterProcesses implements BeforeAllCallback, AfterAllCallback {

	private static final Duration NODE_TIMEOUT = Duration.ofMillis(1000);

	private final List<RedisServerProcess> nodes = new ArrayList<>();

	private @Nullable LettuceConnectionFactory connectionFactory;

	@Override
	public void beforeAll(ExtensionContext context) {
		try {
			for (int i = 0; i < 6; i++) {
				this.nodes.add(RedisServerProcess.startOnFreePort(List.of("--cluster-enabled", "yes",
						"--cluster-config-file", "{dir}/nodes.conf", "--cluster-node-timeout",
						String.valueOf(NODE_TIMEOUT.toMillis()), "--repl-diskless-sync-delay", "0")));
			}
			List<String> create = new ArrayList<>(List.of("--cluster", "create"));
			this.nodes.forEach((node) -> create.add(address(node)));
			create.addAll(List.of("--cluster-replicas", "1", "--cluster-yes"));
			RedisCli.run(create);
			await("the cluster is up").atMost(Duration.ofSeconds(30))
				.until(() -> this.nodes.stream().allMatch((node) -> info(node).contains("cluster_state:ok")));
			// A replica that never synchronised with its master would not take over from it.
			await("the replicas are in sync").atMost(Duration.ofSeconds(30))
				.until(() -> this.nodes.stream()
					.map((node) -> RedisCli.command(node, "INFO", "replication"))
					.filter((replication) -> replication.contains("role:slave"))
					.allMatch((replication) -> replication.contains("master_link_status:up")));
		}
		catch (RuntimeException ex) {
			afterAll(context);
			throw ex;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
			this.connectionFactory = null;
		}
		this.nodes.forEach(RedisServerProcess::stop);
		this.nodes.clear();
	}

	/**
	 * Return the Spring Boot property that points an application at this cluster.
	 * @return {@code spring.data.redis.cluster.nodes}
	 */
	public String[] properties() {
		return new String[] { "spring.data.redis.cluster.nodes=" + String.join(",", addresses()) };
	}

	/**
	 * Return the addresses of the nodes.
	 * @return {@code host:port} of each node
	 */
	public List<String> addresses() {
		return this.nodes.stream().map(RedisClusterProcesses::address).toList();
	}

	/**
	 * Return a template for the test's own reads and writes, on a cluster connection.
	 * @return the template
	 */
	public synchronized StringRedisTemplate template() {
		if (this.connectionFactory == null) {
			RedisClusterConfiguration configuration = new RedisClusterConfiguration(addresses());
			this.connectionFactory = new LettuceConnectionFactory(configuration);
			this.connectionFactory.afterPropertiesSet();
			this.connectionFactory.start();
		}
		return new StringRedisTemplate(this.connectionFactory);
	}

	/**
	 * Return the running master that serves a key's slot.
	 * @param key the key
	 * @return the master
	 */
	public RedisServerProcess masterOf(String key) {
		int slot = SlotHash.getSlot(key);
		for (RedisServerProcess node : this.nodes) {
			if (!node.isRunning()) {
				continue;
			}
			for (String line : RedisCli.command(node, "CLUSTER", "NODES").split("\n")) {
				Optional<RedisServerProcess> master = masterServing(line, slot);
				if (master.isPresent()) {
					return master.get();
				}
			}
		}
		throw new IllegalStateException("No master serves slot " + slot);
	}

	/**
	 * Wait until another node serves the slot of a key whose master was killed, and every
	 * running node sees the cluster as healthy.
	 * @param key the key
	 * @param killed the master that was killed
	 */
	public void awaitFailover(String key, RedisServerProcess killed) {
		await("a replica takes over slot " + SlotHash.getSlot(key)).atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> masterOf(key) != killed && this.nodes.stream()
				.filter(RedisServerProcess::isRunning)
				.allMatch((node) -> info(node).contains("cluster_state:ok")));
	}

	private Optional<RedisServerProcess> masterServing(String line, int slot) {
		String[] fields = line.trim().split(" ");
		if (fields.length < 9 || !fields[2].contains("master") || fields[2].contains("fail")) {
			return Optional.empty();
		}
		for (int i = 8; i < fields.length; i++) {
			String[] range = fields[i].split("-");
			if (range[0].startsWith("[")) {
				continue;
			}
			int from = Integer.parseInt(range[0]);
			int to = (range.length > 1) ? Integer.parseInt(range[1]) : from;
			if (slot >= from && slot <= to) {
				int port = Integer.parseInt(fields[1].substring(fields[1].indexOf(':') + 1).split("[@,]")[0]);
				return this.nodes.stream().filter((node) -> node.port() == port && node.isRunning()).findFirst();
			}
		}
		return Optional.empty();
	}

	private static String info(RedisServerProcess node) {
		return RedisCli.command(node, "CLUSTER", "INFO");
	}

	private static String address(RedisServerProcess node) {
		return "127.0.0.1:" + node.port();
	}

}
