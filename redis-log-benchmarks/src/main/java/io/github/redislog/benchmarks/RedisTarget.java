package io.github.redislog.benchmarks;

import java.util.List;

/**
 * The Redis a load tool started for the application under test: one server or a cluster,
 * on free ports of the loopback interface, stopped by PID on {@link #close()}.
 *
 * @author Redis Log contributors
 */
interface RedisTarget extends AutoCloseable {

	/**
	 * Return the Spring Boot properties that point the application at this Redis.
	 * @return {@code --name=value} arguments
	 */
	List<String> springArguments();

	/**
	 * Return the ports of the servers that take writes: the one server, or the cluster's
	 * masters, in the order of {@link #nodeOf}.
	 * @return the ports
	 */
	List<Integer> ports();

	/**
	 * Return the server that serves a key, as a client routes it.
	 * @param key the key (or the channel of a {@code PUBLISH})
	 * @return its index in {@link #ports()}
	 */
	int nodeOf(byte[] key);

	/**
	 * Describe the target for the tool's output.
	 * @return for example {@code cluster of 3 masters}
	 */
	String describe();

	@Override
	void close();

}
