package io.github.redislog.writer;

import java.nio.ByteBuffer;

import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.CommandOutput;

/**
 * What a batch needs of the reply to one of its commands, as Lettuce decodes it: the error
 * reply, if any (kept by {@link CommandOutput} itself, where a cluster connection reads and
 * clears a {@code MOVED} or {@code ASK}), and the integer of an integer reply, the receivers
 * of a {@code PUBLISH}. Everything else, such as the id an {@code XADD} replies with, is
 * dropped as it is decoded: nothing is copied or kept for it.
 *
 * @author Redis Log contributors
 */
final class LogReplyOutput extends CommandOutput<byte[], byte[], Void> {

	/**
	 * The {@link #integer()} of a reply that is no integer.
	 */
	static final long NO_INTEGER = -1;

	private long integer = NO_INTEGER;

	LogReplyOutput() {
		super(ByteArrayCodec.INSTANCE, null);
	}

	@Override
	public void set(ByteBuffer bytes) {
		// A bulk or simple string (an XADD's id, OK), or a null reply: nothing to keep.
	}

	@Override
	public void set(long integer) {
		this.integer = integer;
	}

	@Override
	public void set(double number) {
	}

	@Override
	public void set(boolean value) {
	}

	/**
	 * Return the integer Redis replied with.
	 * @return the integer, or {@link #NO_INTEGER} if the reply was no integer
	 */
	long integer() {
		return this.integer;
	}

}
