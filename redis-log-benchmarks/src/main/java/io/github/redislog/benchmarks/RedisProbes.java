package io.github.redislog.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link RedisProbe} on each server of a {@link RedisTarget} that takes writes: what
 * Redis counted and the CPU it used, summed over the servers or server by server.
 *
 * @author Redis Log contributors
 */
final class RedisProbes implements AutoCloseable {

	private final RedisTarget target;

	private final List<RedisProbe> nodes = new ArrayList<>();

	RedisProbes(RedisTarget target) {
		this.target = target;
		try {
			target.ports().forEach((port) -> this.nodes.add(new RedisProbe(port)));
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Return how many calls of a command all servers have executed.
	 * @param command the command, lower case, for example {@code xadd}
	 * @return the calls since the servers started
	 */
	long calls(String command) {
		return this.nodes.stream().mapToLong((node) -> node.calls(command)).sum();
	}

	long connectionsReceived() {
		return this.nodes.stream().mapToLong(RedisProbe::connectionsReceived).sum();
	}

	long cpuNanos() {
		return this.nodes.stream().mapToLong(RedisProbe::cpuNanos).sum();
	}

	/**
	 * Return what each server has done so far, to subtract from a later snapshot.
	 * @return the {@code XADD} calls and CPU time of each server
	 */
	List<NodeLoad> loads() {
		return this.nodes.stream().map((node) -> new NodeLoad(node.calls("xadd"), node.cpuNanos())).toList();
	}

	/**
	 * Return the probe on the server that serves a key.
	 * @param key the key
	 * @return the probe
	 */
	RedisProbe ownerOf(String key) {
		return this.nodes.get(this.target.nodeOf(key.getBytes(StandardCharsets.UTF_8)));
	}

	@Override
	public void close() {
		this.nodes.forEach(RedisProbe::close);
		this.nodes.clear();
	}

}
