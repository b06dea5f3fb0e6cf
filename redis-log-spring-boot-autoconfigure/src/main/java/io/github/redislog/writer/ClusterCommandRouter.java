package io.github.redislog.writer;

import java.util.Arrays;
import java.util.List;

import io.lettuce.core.cluster.SlotHash;
import org.jspecify.annotations.Nullable;

/**
 * Splits a batch's commands among the masters of a Redis Cluster: each command goes to
 * the master that serves the slot of its key, or of its channel for a {@code PUBLISH} or
 * {@code SPUBLISH}, hash tags honoured ({@link SlotHash}). Each master's share is encoded
 * in the order written ({@link MasterCommands}). A command whose slot no master serves
 * goes nowhere and stays without a reply.
 *
 * @author Redis Log contributors
 */
final class ClusterCommandRouter implements RedisLogCommands {

	private final long streamMaxLength;

	private MasterCommands[] masters = new MasterCommands[0];

	private ClusterSlots slots = new ClusterSlots(List.of(), new int[ClusterSlots.SLOT_COUNT]);

	private int written;

	private int unrouted;

	private int unroutedSlot;

	ClusterCommandRouter(long streamMaxLength) {
		this.streamMaxLength = streamMaxLength;
	}

	/**
	 * Forget the last batch's commands and route the next ones by a slot table.
	 * @param slots the slot table
	 */
	void reset(ClusterSlots slots) {
		this.slots = slots;
		for (MasterCommands master : this.masters) {
			master.clear();
		}
		this.written = 0;
		this.unrouted = 0;
	}

	/**
	 * Return the masters' shares of the batch, by master number; some may be empty.
	 * @return the shares, at most as many as the slot table's masters
	 */
	MasterCommands[] masters() {
		return this.masters;
	}

	/**
	 * Return how many commands went to no master.
	 * @return the count
	 */
	int unrouted() {
		return this.unrouted;
	}

	/**
	 * Return a slot that no master serves, if a command had one.
	 * @return the slot
	 */
	int unroutedSlot() {
		return this.unroutedSlot;
	}

	@Override
	public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
		MasterCommands master = route(key);
		if (master != null) {
			master.setIfAbsent(this.written, key, value, ttlSeconds);
		}
		this.written++;
	}

	@Override
	public void xAdd(byte[] streamKey, byte[] json) {
		MasterCommands master = route(streamKey);
		if (master != null) {
			master.xAdd(this.written, streamKey, json);
		}
		this.written++;
	}

	@Override
	public void publish(byte[] channel, byte[] json) {
		// Any master would take it and broadcast it; the channel's spreads the load.
		MasterCommands master = route(channel);
		if (master != null) {
			master.publish(this.written, channel, json);
		}
		this.written++;
	}

	@Override
	public void sPublish(byte[] channel, byte[] json) {
		MasterCommands master = route(channel);
		if (master != null) {
			master.sPublish(this.written, channel, json);
		}
		this.written++;
	}

	@Override
	public void expire(byte[] key, long ttlSeconds) {
		MasterCommands master = route(key);
		if (master != null) {
			master.expire(this.written, key, ttlSeconds);
		}
		this.written++;
	}

	private @Nullable MasterCommands route(byte[] key) {
		int slot = SlotHash.getSlot(key);
		int master = this.slots.masterOf(slot);
		if (master == ClusterSlots.NO_MASTER) {
			this.unrouted++;
			this.unroutedSlot = slot;
			return null;
		}
		if (master >= this.masters.length) {
			int known = this.masters.length;
			this.masters = Arrays.copyOf(this.masters, this.slots.masters());
			for (int i = known; i < this.masters.length; i++) {
				this.masters[i] = new MasterCommands(this.streamMaxLength);
			}
		}
		return this.masters[master];
	}

}
