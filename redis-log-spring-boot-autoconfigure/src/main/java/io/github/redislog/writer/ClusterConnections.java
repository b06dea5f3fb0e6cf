package io.github.redislog.writer;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * One {@link RespConnection} per master of a Redis Cluster, opened when a batch first has
 * commands for that master, each logging in as the cluster's login says. A master's
 * connection that failed is closed on its own: the others stay in step. Closing the whole
 * closes every connection, including one that a batch is opening meanwhile.
 *
 * @author Redis Log contributors
 */
public final class ClusterConnections implements AutoCloseable {

	private final RespEndpoint login;

	// Guarded by this: the worker opens and discards, stop() closes on another thread.
	private final Map<String, RespConnection> connections = new HashMap<>();

	private volatile boolean closed;

	/**
	 * Create an empty set of connections.
	 * @param login how to reach and log in to every master: its credentials and timeouts;
	 * its host and port are those of a node the application named
	 */
	ClusterConnections(RespEndpoint login) {
		this.login = login;
	}

	/**
	 * Return the connection to a master, opening one if there is none.
	 * @param address the master's {@code host:port}
	 * @return the connection
	 * @throws RedisConnectionFailureException if the master cannot be reached, or the
	 * connections were closed
	 */
	RespConnection connection(String address) {
		RespConnection connection;
		synchronized (this) {
			connection = this.connections.get(address);
		}
		if (connection != null) {
			return connection;
		}
		RespEndpoint endpoint = endpoint(address);
		try {
			connection = RespConnection.open(endpoint);
		}
		catch (IOException ex) {
			throw new RedisConnectionFailureException("Could not connect to the Redis Cluster master at " + endpoint,
					ex);
		}
		synchronized (this) {
			if (!this.closed) {
				this.connections.put(address, connection);
				return connection;
			}
		}
		// Closed while connecting: nobody would close it.
		closeQuietly(connection);
		throw new RedisConnectionFailureException("The publisher has been stopped");
	}

	/**
	 * Close the connection to a master, for example after it failed: replies may still be
	 * on their way, and only a new connection is in step.
	 * @param address the master's {@code host:port}
	 */
	void discard(String address) {
		RespConnection connection;
		synchronized (this) {
			connection = this.connections.remove(address);
		}
		if (connection != null) {
			closeQuietly(connection);
		}
	}

	/**
	 * Close the connections to nodes that serve no slot of a topology, such as a master
	 * that became a replica or left the cluster, which nothing would write to again.
	 * @param slots the topology
	 */
	void keepOnlyMastersOf(ClusterSlots slots) {
		List<RespConnection> left = new ArrayList<>();
		synchronized (this) {
			this.connections.entrySet()
				.removeIf((connection) -> !slots.isMaster(connection.getKey()) && left.add(connection.getValue()));
		}
		left.forEach(ClusterConnections::closeQuietly);
	}

	/**
	 * Return whether the connections were closed.
	 * @return whether closed
	 */
	boolean isClosed() {
		return this.closed;
	}

	@Override
	public void close() {
		RespConnection[] open;
		synchronized (this) {
			this.closed = true;
			open = this.connections.values().toArray(RespConnection[]::new);
			this.connections.clear();
		}
		for (RespConnection connection : open) {
			closeQuietly(connection);
		}
	}

	private RespEndpoint endpoint(String address) {
		int colon = address.lastIndexOf(':');
		// A cluster has database 0 only.
		return new RespEndpoint(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)),
				this.login.username(), this.login.password(), 0, this.login.connectTimeout(), this.login.timeout());
	}

	private static void closeQuietly(RespConnection connection) {
		try {
			connection.close();
		}
		catch (IOException ex) {
			// Already broken: nothing left to release.
		}
	}

}
