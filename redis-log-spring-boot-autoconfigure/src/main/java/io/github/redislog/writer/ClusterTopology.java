package io.github.redislog.writer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * The slots of a Redis Cluster and the masters that serve them, learned from the
 * application's Lettuce cluster client, which already keeps them ({@link ClusterSlots}).
 * After a {@code MOVED} reply or a master's failed connection, the client learns them anew
 * in the background, at most once per {@value #MIN_REFRESH_INTERVAL_MILLIS} ms (Spring Boot
 * enables no periodic refresh), and the next batch routes by what it learned; a
 * {@code MOVED} reply also corrects its slot at once.
 *
 * @author Redis Log contributors
 */
final class ClusterTopology {

	static final long MIN_REFRESH_INTERVAL_MILLIS = 1000;

	private final LettuceConnectionFactory connectionFactory;

	// Set by the client's thread when a refresh completed; read by the worker.
	private volatile boolean learned = true;

	private @Nullable ClusterSlots slots;

	private long lastRefresh = System.nanoTime() - Duration.ofMillis(MIN_REFRESH_INTERVAL_MILLIS).toNanos();

	/**
	 * Create the topology of a factory's cluster.
	 * @param connectionFactory the application's factory, for a cluster
	 */
	ClusterTopology(LettuceConnectionFactory connectionFactory) {
		this.connectionFactory = connectionFactory;
	}

	/**
	 * Return the slot table to route the next batch by: the one of the last refresh, with
	 * the corrections of {@code MOVED} replies since. Called on the worker thread only.
	 * @return the slot table
	 * @throws RedisConnectionFailureException if the client does not know the topology and
	 * cannot learn it now
	 */
	ClusterSlots slots() {
		ClusterSlots current = this.slots;
		if (current == null || this.learned) {
			this.learned = false;
			current = of(partitions());
			this.slots = current;
		}
		return current;
	}

	/**
	 * Take a master's word that another node serves a slot now, and learn the rest of the
	 * topology anew: a {@code MOVED} seldom comes alone.
	 * @param slot the slot
	 * @param address the {@code host:port} of the node that serves it
	 */
	void moved(int slot, String address) {
		ClusterSlots current = this.slots;
		if (current != null) {
			current.moved(slot, address);
		}
		refresh();
	}

	/**
	 * Start learning the topology anew in the background, unless that started less than
	 * the minimum interval ago. Never throws: the failure it follows is what counts.
	 */
	void refresh() {
		long now = System.nanoTime();
		if (now - this.lastRefresh < Duration.ofMillis(MIN_REFRESH_INTERVAL_MILLIS).toNanos()) {
			return;
		}
		this.lastRefresh = now;
		try {
			client().refreshPartitionsAsync().whenComplete((result, failure) -> this.learned = true);
		}
		catch (RuntimeException ex) {
			// Not started, or shutting down: the next failure tries again.
		}
	}

	private Partitions partitions() {
		try {
			return client().getPartitions();
		}
		catch (RuntimeException ex) {
			throw new RedisConnectionFailureException("Could not learn the topology of the Redis Cluster", ex);
		}
	}

	// Looked up each time: a factory that was stopped and started has a new client.
	private RedisClusterClient client() {
		if (this.connectionFactory.getNativeClient() instanceof RedisClusterClient client) {
			return client;
		}
		throw new IllegalStateException("The connection factory has no Redis Cluster client");
	}

	private static ClusterSlots of(Partitions partitions) {
		List<String> addresses = new ArrayList<>();
		int[] masters = new int[ClusterSlots.SLOT_COUNT];
		Arrays.fill(masters, ClusterSlots.NO_MASTER);
		for (int slot = 0; slot < ClusterSlots.SLOT_COUNT; slot++) {
			RedisClusterNode node = partitions.getMasterBySlot(slot);
			RedisURI uri = (node != null) ? node.getUri() : null;
			if (uri != null && uri.getHost() != null) {
				String address = uri.getHost() + ":" + uri.getPort();
				int master = addresses.indexOf(address);
				if (master < 0) {
					master = addresses.size();
					addresses.add(address);
				}
				masters[slot] = master;
			}
		}
		return new ClusterSlots(addresses, masters);
	}

}
