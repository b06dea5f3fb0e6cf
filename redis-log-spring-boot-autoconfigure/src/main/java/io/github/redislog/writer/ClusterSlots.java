package io.github.redislog.writer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Which master of a Redis Cluster serves each of its 16384 slots, as far as the
 * publisher knows: learned from the cluster, and corrected slot by slot by the
 * {@code MOVED} replies of the masters themselves, which know better.
 *
 * @author Redis Log contributors
 */
final class ClusterSlots {

	/**
	 * The number of slots of a Redis Cluster.
	 */
	static final int SLOT_COUNT = 16384;

	/**
	 * What {@link #masterOf} returns for a slot that no master serves.
	 */
	static final int NO_MASTER = -1;

	private final List<String> addresses;

	private final int[] masters;

	/**
	 * Create a slot table.
	 * @param addresses the {@code host:port} of each master; a master's number is its
	 * index
	 * @param masters per slot the number of its master, or {@link #NO_MASTER}
	 */
	ClusterSlots(List<String> addresses, int[] masters) {
		Assert.isTrue(masters.length == SLOT_COUNT, "'masters' must have an entry per slot");
		this.addresses = new ArrayList<>(addresses);
		this.masters = Arrays.copyOf(masters, SLOT_COUNT);
	}

	/**
	 * Return the master that serves a slot.
	 * @param slot the slot
	 * @return the master's number, or {@link #NO_MASTER}
	 */
	int masterOf(int slot) {
		return this.masters[slot];
	}

	/**
	 * Return the address of a master.
	 * @param master the master's number
	 * @return its {@code host:port}
	 */
	String address(int master) {
		return this.addresses.get(master);
	}

	/**
	 * Return how many masters the table knows, some of which may serve no slot any more.
	 * @return the number of masters
	 */
	int masters() {
		return this.addresses.size();
	}

	/**
	 * Return whether a node serves slots.
	 * @param address the node's {@code host:port}
	 * @return whether it is one of the masters
	 */
	boolean isMaster(String address) {
		return this.addresses.contains(address);
	}

	/**
	 * Take a master's word that another node serves a slot now ({@code MOVED}).
	 * @param slot the slot
	 * @param address the {@code host:port} of the node that serves it
	 */
	void moved(int slot, String address) {
		int master = this.addresses.indexOf(address);
		if (master < 0) {
			master = this.addresses.size();
			this.addresses.add(address);
		}
		this.masters[slot] = master;
	}

	/**
	 * Read a {@code MOVED} or {@code ASK} error reply.
	 * @param error the error reply, such as {@code MOVED 3999 127.0.0.1:6381}
	 * @param repliedBy the {@code host:port} of the node that replied, whose host stands
	 * for an empty one in the reply
	 * @return the redirection, or {@code null} if the reply is none or names no usable
	 * address
	 */
	static @Nullable Redirection redirection(String error, String repliedBy) {
		String[] words = error.split(" ");
		if (words.length != 3 || !(words[0].equals("MOVED") || words[0].equals("ASK"))) {
			return null;
		}
		int colon = words[2].lastIndexOf(':');
		if (colon < 0 || words[2].startsWith("?")) {
			// Redis 7 says '?' when it does not know the node's endpoint.
			return null;
		}
		try {
			int slot = Integer.parseInt(words[1]);
			int port = Integer.parseInt(words[2].substring(colon + 1));
			if (slot < 0 || slot >= SLOT_COUNT || port <= 0 || port > 65535) {
				return null;
			}
			String host = (colon == 0) ? repliedBy.substring(0, repliedBy.lastIndexOf(':'))
					: words[2].substring(0, colon);
			return new Redirection(words[0].equals("ASK"), slot, host + ":" + port);
		}
		catch (NumberFormatException ex) {
			return null;
		}
	}

	/**
	 * Where a master sent a command.
	 *
	 * @param ask whether only this command goes there ({@code ASK}, during a slot's
	 * migration) rather than the whole slot for good ({@code MOVED})
	 * @param slot the slot
	 * @param address the {@code host:port} of the node to send it to
	 */
	record Redirection(boolean ask, int slot, String address) {

	}

}
