package io.github.redislog.writer;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * Reads the replies of the Redis serialization protocol (RESP2) that a
 * {@link RespConnection} receives, one per command, without a client library's objects
 * per reply: only an error's text and an integer's value are kept.
 *
 * @author Redis Log contributors
 */
final class RespReplyReader {

	private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024).flip();

	private final StringBuilder line = new StringBuilder();

	private final Source source;

	RespReplyReader(Source source) {
		this.source = source;
	}

	/**
	 * Read the replies to a number of commands, telling each one as it arrives.
	 * @param commands how many commands were sent
	 * @param replies told the reply to each command, in order
	 * @param deadline the {@link System#nanoTime()} by which every reply must be read
	 * @throws IOException if the connection failed, did not deliver in time, or sent what
	 * is not RESP
	 */
	void read(int commands, RespConnection.ReplyHandler replies, long deadline) throws IOException {
		for (int i = 0; i < commands; i++) {
			byte type = readByte(deadline);
			readLine(deadline);
			if (type == ':') {
				replies.integerReplied(i, parseLineAsLong());
			}
			replies.replied(i, readRest(type, deadline));
		}
	}

	// One reply, nested ones included; returns its text if it is an error.
	private @Nullable String readReply(long deadline) throws IOException {
		byte type = readByte(deadline);
		readLine(deadline);
		return readRest(type, deadline);
	}

	// The rest of a reply whose type and first line are read.
	private @Nullable String readRest(byte type, long deadline) throws IOException {
		switch (type) {
			case '+', ':' -> {
				return null;
			}
			case '-' -> {
				return this.line.toString();
			}
			case '$' -> {
				long length = parseLineAsLong();
				if (length >= 0) {
					skip(length + 2, deadline);
				}
				return null;
			}
			case '*' -> {
				long elements = parseLineAsLong();
				String firstError = null;
				for (long i = 0; i < elements; i++) {
					String error = readReply(deadline);
					if (firstError == null) {
						firstError = error;
					}
				}
				return firstError;
			}
			default -> throw new IOException("Unexpected reply type '" + (char) type + "' from Redis");
		}
	}

	private byte readByte(long deadline) throws IOException {
		if (!this.buffer.hasRemaining()) {
			fill(deadline);
		}
		return this.buffer.get();
	}

	private void readLine(long deadline) throws IOException {
		this.line.setLength(0);
		byte previous = 0;
		while (true) {
			byte next = readByte(deadline);
			if (previous == '\r' && next == '\n') {
				this.line.setLength(this.line.length() - 1);
				return;
			}
			this.line.append((char) next);
			previous = next;
		}
	}

	private long parseLineAsLong() throws IOException {
		try {
			return Long.parseLong(this.line, 0, this.line.length(), 10);
		}
		catch (NumberFormatException ex) {
			throw new IOException("Malformed number '" + this.line + "' in a reply from Redis", ex);
		}
	}

	private void skip(long count, long deadline) throws IOException {
		long left = count;
		while (left > 0) {
			if (!this.buffer.hasRemaining()) {
				fill(deadline);
			}
			int step = (int) Math.min(left, this.buffer.remaining());
			this.buffer.position(this.buffer.position() + step);
			left -= step;
		}
	}

	private void fill(long deadline) throws IOException {
		this.buffer.clear();
		try {
			this.source.fill(this.buffer, deadline);
		}
		finally {
			this.buffer.flip();
		}
	}

	/**
	 * Where the replies come from.
	 */
	@FunctionalInterface
	interface Source {

		/**
		 * Read what is there into the buffer, waiting for at least one byte.
		 * @param buffer the buffer to read into
		 * @param deadline the {@link System#nanoTime()} to wait until
		 * @throws IOException if the connection failed or nothing came in time
		 */
		void fill(ByteBuffer buffer, long deadline) throws IOException;

	}

}
