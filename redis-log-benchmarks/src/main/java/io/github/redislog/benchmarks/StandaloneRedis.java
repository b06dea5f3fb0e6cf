package io.github.redislog.benchmarks;

import java.util.List;

import io.github.redislog.test.RedisServerProcess;

/**
 * One {@code redis-server}: the starter writes to it through its direct connection.
 *
 * @author Redis Log contributors
 */
final class StandaloneRedis implements RedisTarget {

	private final RedisServerProcess server;

	private StandaloneRedis(RedisServerProcess server) {
		this.server = server;
	}

	static StandaloneRedis start() {
		return new StandaloneRedis(RedisServerProcess.startOnFreePort());
	}

	@Override
	public List<String> springArguments() {
		return List.of("--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + this.server.port());
	}

	@Override
	public List<Integer> ports() {
		return List.of(this.server.port());
	}

	@Override
	public int nodeOf(byte[] key) {
		return 0;
	}

	@Override
	public String describe() {
		return "standalone";
	}

	@Override
	public void close() {
		this.server.stop();
	}

}
