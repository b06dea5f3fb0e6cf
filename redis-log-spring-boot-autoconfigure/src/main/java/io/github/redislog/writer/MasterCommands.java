package io.github.redislog.writer;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * One master's share of a batch on a Redis Cluster: its commands encoded as RESP, and for
 * each the number it has in the batch, so that the master's replies, which come in the
 * master's order, are told to the right command. Each command's arguments are kept too
 * (references, no copy), so that a command the master redirects with {@code ASK} can be
 * {@link #replay replayed} to another node.
 *
 * @author Redis Log contributors
 */
final class MasterCommands {

	private static final byte SET_IF_ABSENT = 0;

	private static final byte XADD = 1;

	private static final byte PUBLISH = 2;

	private static final byte SPUBLISH = 3;

	private static final byte EXPIRE = 4;

	private static final int INITIAL_CAPACITY = 64;

	private final RespLogCommands commands;

	private int[] batchCommands = new int[INITIAL_CAPACITY];

	private byte[] kinds = new byte[INITIAL_CAPACITY];

	private byte[][] keys = new byte[INITIAL_CAPACITY][];

	// No value for an EXPIRE.
	private byte[][] values = new byte[INITIAL_CAPACITY][];

	private long[] ttls = new long[INITIAL_CAPACITY];

	private int count;

	private @Nullable RespConnection connection;

	MasterCommands(long streamMaxLength) {
		this.commands = new RespLogCommands(streamMaxLength);
	}

	void setIfAbsent(int batchCommand, byte[] key, byte[] value, long ttlSeconds) {
		this.commands.setIfAbsent(key, value, ttlSeconds);
		add(batchCommand, SET_IF_ABSENT, key, value, ttlSeconds);
	}

	void xAdd(int batchCommand, byte[] streamKey, byte[] json) {
		this.commands.xAdd(streamKey, json);
		add(batchCommand, XADD, streamKey, json, 0);
	}

	void publish(int batchCommand, byte[] channel, byte[] json) {
		this.commands.publish(channel, json);
		add(batchCommand, PUBLISH, channel, json, 0);
	}

	void sPublish(int batchCommand, byte[] channel, byte[] json) {
		this.commands.sPublish(channel, json);
		add(batchCommand, SPUBLISH, channel, json, 0);
	}

	void expire(int batchCommand, byte[] key, long ttlSeconds) {
		this.commands.expire(key, ttlSeconds);
		add(batchCommand, EXPIRE, key, null, ttlSeconds);
	}

	/**
	 * Write one of the master's commands again, elsewhere.
	 * @param command the command's number among the master's, from 0
	 * @param target where to write it
	 */
	void replay(int command, RedisLogCommands target) {
		byte[] key = this.keys[command];
		byte[] value = this.values[command];
		switch (this.kinds[command]) {
			case SET_IF_ABSENT -> target.setIfAbsent(key, value, this.ttls[command]);
			case XADD -> target.xAdd(key, value);
			case PUBLISH -> target.publish(key, value);
			case SPUBLISH -> target.sPublish(key, value);
			default -> target.expire(key, this.ttls[command]);
		}
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
		// The arguments are the batch's: not held past it.
		Arrays.fill(this.keys, 0, this.count, null);
		Arrays.fill(this.values, 0, this.count, null);
		this.count = 0;
		this.connection = null;
	}

	private void add(int batchCommand, byte kind, byte[] key, byte @Nullable [] value, long ttl) {
		if (this.count == this.batchCommands.length) {
			int capacity = this.count * 2;
			this.batchCommands = Arrays.copyOf(this.batchCommands, capacity);
			this.kinds = Arrays.copyOf(this.kinds, capacity);
			this.keys = Arrays.copyOf(this.keys, capacity);
			this.values = Arrays.copyOf(this.values, capacity);
			this.ttls = Arrays.copyOf(this.ttls, capacity);
		}
		this.batchCommands[this.count] = batchCommand;
		this.kinds[this.count] = kind;
		this.keys[this.count] = key;
		this.values[this.count] = value;
		this.ttls[this.count] = ttl;
		this.count++;
	}

}
