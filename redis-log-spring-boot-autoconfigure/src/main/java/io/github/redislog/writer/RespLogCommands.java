package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;

import io.github.redislog.wire.LogChannel;

/**
 * Encodes a batch's commands as RESP into a {@link RespCommandBuffer}, the form a
 * {@link RespConnection} sends: no object per command.
 *
 * @author Redis Log contributors
 */
final class RespLogCommands implements RedisLogCommands {

	private static final byte[] SET = bytes("SET");

	private static final byte[] NX = bytes("NX");

	private static final byte[] EX = bytes("EX");

	private static final byte[] XADD = bytes("XADD");

	private static final byte[] MAXLEN = bytes("MAXLEN");

	private static final byte[] APPROXIMATELY = bytes("~");

	private static final byte[] NEW_ID = bytes("*");

	private static final byte[] DATA_FIELD = bytes(LogChannel.PAYLOAD_FIELD);

	private static final byte[] PUBLISH = bytes("PUBLISH");

	private static final byte[] SPUBLISH = bytes("SPUBLISH");

	private static final byte[] EXPIRE = bytes("EXPIRE");

	private final RespCommandBuffer buffer = new RespCommandBuffer(64 * 1024);

	private final byte[] streamMaxLength;

	RespLogCommands(long streamMaxLength) {
		this.streamMaxLength = bytes(Long.toString(streamMaxLength));
	}

	/**
	 * Return the buffer the commands are encoded into.
	 * @return the buffer
	 */
	RespCommandBuffer buffer() {
		return this.buffer;
	}

	@Override
	public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
		this.buffer.command(6)
			.argument(SET)
			.argument(key)
			.argument(value)
			.argument(NX)
			.argument(EX)
			.argument(ttlSeconds);
	}

	@Override
	public void xAdd(byte[] streamKey, byte[] json) {
		this.buffer.command(8)
			.argument(XADD)
			.argument(streamKey)
			.argument(MAXLEN)
			.argument(APPROXIMATELY)
			.argument(this.streamMaxLength)
			.argument(NEW_ID)
			.argument(DATA_FIELD)
			.argument(json);
	}

	@Override
	public void publish(byte[] channel, byte[] json) {
		this.buffer.command(3).argument(PUBLISH).argument(channel).argument(json);
	}

	@Override
	public void sPublish(byte[] channel, byte[] json) {
		this.buffer.command(3).argument(SPUBLISH).argument(channel).argument(json);
	}

	@Override
	public void expire(byte[] key, long ttlSeconds) {
		this.buffer.command(3).argument(EXPIRE).argument(key).argument(ttlSeconds);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
