package io.github.redislog.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import static org.awaitility.Awaitility.await;

/**
 * A master, a replica and three Sentinels of the test class's own, each a
 * {@link RedisServerProcess} on a free port, stopped by PID after the class. Sentinels
 * notice a dead master after one second, so a failover takes a few seconds. Register it as
 * a static {@code @RegisterExtension} field.
 *
 * @author Redis Log contributors
 */
public final class RedisSentinelProcesses implements BeforeAllCallback, AfterAllCallback {

	/**
	 * Name of the monitored master.
	 */
	public static final String MASTER_NAME = "logmaster";

	private final List<RedisServerProcess> servers = new ArrayList<>();

	private final List<RedisServerProcess> sentinels = new ArrayList<>();

	@Override
	public void beforeAll(ExtensionContext context) {
		try {
			RedisServerProcess master = RedisServerProcess
				.startOnFreePort(List.of("--repl-diskless-sync-delay", "0"));
			this.servers.add(master);
			this.servers.add(RedisServerProcess.startOnFreePort(
					List.of("--replicaof", "127.0.0.1", String.valueOf(master.port()), "--repl-diskless-sync-delay", "0")));
			for (int i = 0; i < 3; i++) {
				this.sentinels.add(RedisServerProcess.startOnFreePort(List.of("{dir}/sentinel.conf", "--sentinel",
						"--sentinel", "monitor", MASTER_NAME, "127.0.0.1", String.valueOf(master.port()), "2",
						"--sentinel", "down-after-milliseconds", MASTER_NAME, "1000", "--sentinel", "failover-timeout",
						MASTER_NAME, "5000")));
			}
			await("the replica is in sync").atMost(Duration.ofSeconds(30))
				.until(() -> RedisCli.command(this.servers.get(1), "INFO", "replication").contains("master_link_status:up"));
			await("the sentinels know each other and the replica").atMost(Duration.ofSeconds(30))
				.until(() -> this.sentinels.stream()
					.map((sentinel) -> RedisCli.command(sentinel, "SENTINEL", "MASTER", MASTER_NAME))
					.allMatch((state) -> state.contains("num-other-sentinels\n2") && state.contains("num-slaves\n1")));
		}
		catch (RuntimeException ex) {
			afterAll(context);
			throw ex;
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		this.sentinels.forEach(RedisServerProcess::stop);
		this.servers.forEach(RedisServerProcess::stop);
		this.sentinels.clear();
		this.servers.clear();
	}

	/**
	 * Return the Spring Boot properties that point an application at the Sentinels.
	 * @return {@code spring.data.redis.sentinel.master} and {@code .nodes}
	 */
	public String[] properties() {
		return new String[] { "spring.data.redis.sentinel.master=" + MASTER_NAME, "spring.data.redis.sentinel.nodes="
				+ String.join(",", this.sentinels.stream().map((sentinel) -> "127.0.0.1:" + sentinel.port()).toList()) };
	}

	/**
	 * Return the server that the Sentinels name as master now.
	 * @return the master
	 */
	public RedisServerProcess master() {
		String address = RedisCli.command(this.sentinels.get(0), "SENTINEL", "GET-MASTER-ADDR-BY-NAME", MASTER_NAME);
		int port = Integer.parseInt(address.trim().split("\n")[1].trim());
		return this.servers.stream()
			.filter((server) -> server.port() == port)
			.findFirst()
			.orElseThrow(() -> new IllegalStateException("No server on port " + port));
	}

	/**
	 * Wait until the Sentinels name another master than the given one.
	 * @param previous the master that was killed
	 */
	public void awaitFailover(RedisServerProcess previous) {
		await("the Sentinels promote the replica").atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> master() != previous);
	}

}
