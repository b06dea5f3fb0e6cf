package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The commands of a batch that a master of a Redis Cluster sent elsewhere with
 * {@code ASK}: their slot is migrating and their key is on the importing node already, or
 * will be created there. Each goes to the node named, preceded by {@code ASKING}, which
 * lets that node take one command for a slot it does not serve yet.
 *
 * @author Redis Log contributors
 */
final class AskedCommands {

	private static final byte[] ASKING = "ASKING".getBytes(StandardCharsets.US_ASCII);

	private final List<Asked> asked = new ArrayList<>();

	private final RespLogCommands commands;

	// Per reply of the last encoded exchange: the batch's command, or -1 for an ASKING.
	private int[] batchCommands = new int[16];

	AskedCommands(long streamMaxLength) {
		this.commands = new RespLogCommands(streamMaxLength);
	}

	/**
	 * Add a command that a master redirected.
	 * @param master the master's share of the batch
	 * @param command the command's number among the master's
	 * @param address the {@code host:port} of the node the master named
	 */
	void add(MasterCommands master, int command, String address) {
		this.asked.add(new Asked(master, command, address));
	}

	boolean isEmpty() {
		return this.asked.isEmpty();
	}

	/**
	 * Return the nodes the commands go to.
	 * @return their {@code host:port}, each once
	 */
	List<String> addresses() {
		return this.asked.stream().map(Asked::address).distinct().toList();
	}

	/**
	 * Encode the commands for one node, each preceded by {@code ASKING}.
	 * @param address the node's {@code host:port}
	 * @return the commands to send
	 */
	RespCommandBuffer encode(String address) {
		RespCommandBuffer buffer = this.commands.buffer();
		buffer.clear();
		int replies = 0;
		for (Asked command : this.asked) {
			if (command.address().equals(address)) {
				if (replies + 2 > this.batchCommands.length) {
					this.batchCommands = Arrays.copyOf(this.batchCommands, this.batchCommands.length * 2);
				}
				buffer.command(1).argument(ASKING);
				this.batchCommands[replies++] = -1;
				command.master().replay(command.command(), this.commands);
				this.batchCommands[replies++] = command.master().batchCommand(command.command());
			}
		}
		return buffer;
	}

	/**
	 * Return the batch's command that a reply of the last {@link #encode encoded}
	 * exchange answers.
	 * @param reply the reply's number in the exchange
	 * @return the command's number in the batch, or -1 for the reply to an
	 * {@code ASKING}
	 */
	int batchCommand(int reply) {
		return this.batchCommands[reply];
	}

	/**
	 * Forget the commands.
	 */
	void clear() {
		this.asked.clear();
	}

	/**
	 * A command that a master sent to another node.
	 *
	 * @param master the master's share of the batch
	 * @param command the command's number among the master's
	 * @param address the {@code host:port} of the node to send it to
	 */
	private record Asked(MasterCommands master, int command, String address) {

	}

}
