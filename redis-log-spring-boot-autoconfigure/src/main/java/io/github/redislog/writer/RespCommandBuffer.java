package io.github.redislog.writer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.springframework.util.Assert;

/**
 * Commands encoded in the Redis serialization protocol (RESP2) into one reusable buffer,
 * so that a whole batch goes to Redis in one write.
 *
 * @author Redis Log contributors
 */
public final class RespCommandBuffer {

	private static final byte[] CRLF = { '\r', '\n' };

	// A batch of huge records should not pin its buffer for the life of the application.
	private static final int MAX_RETAINED_CAPACITY = 1024 * 1024;

	private final int initialCapacity;

	private byte[] bytes;

	private int size;

	private int commands;

	/**
	 * Create an empty buffer.
	 * @param initialCapacity the initial capacity in bytes; the buffer grows as needed
	 */
	public RespCommandBuffer(int initialCapacity) {
		Assert.isTrue(initialCapacity > 0, "'initialCapacity' must be positive");
		this.initialCapacity = initialCapacity;
		this.bytes = new byte[initialCapacity];
	}

	/**
	 * Start a command: its arguments, the command name first, follow.
	 * @param arguments the number of arguments, the command name included
	 * @return this buffer
	 */
	public RespCommandBuffer command(int arguments) {
		Assert.isTrue(arguments > 0, "'arguments' must be positive");
		this.commands++;
		return header('*', arguments);
	}

	/**
	 * Append an argument.
	 * @param value the argument's bytes
	 * @return this buffer
	 */
	public RespCommandBuffer argument(byte[] value) {
		header('$', value.length);
		append(value, value.length);
		return append(CRLF, 2);
	}

	/**
	 * Append a number as an argument.
	 * @param value the number, written in decimal
	 * @return this buffer
	 */
	public RespCommandBuffer argument(long value) {
		if (value < 0) {
			return argument(Long.toString(value).getBytes(StandardCharsets.US_ASCII));
		}
		header('$', digits(value));
		decimal(value);
		return append(CRLF, 2);
	}

	/**
	 * Return the number of commands in the buffer.
	 * @return the command count
	 */
	public int commands() {
		return this.commands;
	}

	/**
	 * Return the encoded commands, backed by this buffer until it is {@link #clear()
	 * cleared}.
	 * @return the bytes to write
	 */
	public ByteBuffer encoded() {
		return ByteBuffer.wrap(this.bytes, 0, this.size);
	}

	/**
	 * Empty the buffer, keeping its capacity unless it grew large.
	 */
	public void clear() {
		this.size = 0;
		this.commands = 0;
		if (this.bytes.length > Math.max(this.initialCapacity, MAX_RETAINED_CAPACITY)) {
			this.bytes = new byte[this.initialCapacity];
		}
	}

	private RespCommandBuffer header(char type, long count) {
		ensureCapacity(1);
		this.bytes[this.size++] = (byte) type;
		decimal(count);
		return append(CRLF, 2);
	}

	// Digits written in place: neither a length nor a number argument may cost a String.
	private void decimal(long value) {
		int end = this.size + digits(value);
		ensureCapacity(end - this.size);
		long rest = value;
		for (int i = end - 1; i >= this.size; i--) {
			this.bytes[i] = (byte) ('0' + rest % 10);
			rest /= 10;
		}
		this.size = end;
	}

	/**
	 * Return how many decimal digits a count of RESP, such as a bulk length, takes.
	 * @param count the count, not negative
	 * @return its digits
	 */
	static int digits(long count) {
		int digits = 1;
		for (long rest = count / 10; rest > 0; rest /= 10) {
			digits++;
		}
		return digits;
	}

	private RespCommandBuffer append(byte[] source, int length) {
		ensureCapacity(length);
		System.arraycopy(source, 0, this.bytes, this.size, length);
		this.size += length;
		return this;
	}

	private void ensureCapacity(int additional) {
		if (this.size + additional > this.bytes.length) {
			this.bytes = Arrays.copyOf(this.bytes, Math.max(this.bytes.length * 2, this.size + additional));
		}
	}

}
