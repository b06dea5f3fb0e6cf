package io.github.redislog.writer;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One master's share of a batch on a Redis Cluster: its commands encoded as RESP, and for
 * each the number it has in the batch, so that the master's replies, which come in the
 * master's order, are told to the right command.
 *
 * @author Redis Log contributors
 */
final class MasterCommands {

	private final RespLogCommands commands;

	private int[] batchCommands = new int[64];

	private int count;

	private @Nullable RespConnection connection;

	MasterCommands(long streamMaxLength) {
		this.commands = new RespLogCommands(streamMaxLength);
	}

	/**
	 * Return where the master's commands are encoded: the next command written there must
	 * be {@link #added} right after.
	 * @return the commands
	 */
	RespLogCommands commands() {
		return this.commands;
	}

	/**
	 * Record that the command just written is the batch's command of this number.
	 * @param batchCommand the command's number in the batch
	 */
	void added(int batchCommand) {
		if (this.count == this.batchCommands.length) {
			this.batchCommands = Arrays.copyOf(this.batchCommands, this.count * 2);
		}
		this.batchCommands[this.count++] = batchCommand;
	}

	/**
	 * Return the number in the batch of the master's command of this number.
	 * @param command the command's number among the master's, from 0
	 * @return its number in the batch
	 */
	int batchCommand(int command) {
		return this.batchCommands[command];
	}

	/**
	 * Return how many commands the master has.
	 * @return the count
	 */
	int count() {
		return this.count;
	}

	/**
	 * Return the encoded commands.
	 * @return the buffer
	 */
	RespCommandBuffer buffer() {
		return this.commands.buffer();
	}

	/**
	 * Return the connection the commands were sent on.
	 * @return the connection, or {@code null} if they were not sent
	 */
	@Nullable RespConnection connection() {
		return this.connection;
	}

	/**
	 * Record the connection the commands were sent on.
	 * @param connection the connection, or {@code null} if sending failed
	 */
	void sentOn(@Nullable RespConnection connection) {
		this.connection = connection;
	}

	/**
	 * Forget the last batch's commands.
	 */
	void clear() {
		this.commands.buffer().clear();
		this.count = 0;
		this.connection = null;
	}

}
