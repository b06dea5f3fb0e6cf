package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records the commands a batch writes, each as its name and key, for example
 * {@code XADD stream:logs:global}.
 */
public final class RecordingLogCommands implements RedisLogCommands {

	private final List<String> commands = new ArrayList<>();

	/**
	 * Return the commands written, with their keys.
	 * @return the commands, in order
	 */
	List<String> commands() {
		return this.commands;
	}

	/**
	 * Return the names of the commands written.
	 * @return the names, in order
	 */
	List<String> names() {
		return this.commands.stream().map((command) -> command.substring(0, command.indexOf(' '))).toList();
	}

	@Override
	public void setIfAbsent(byte[] key, byte[] value, long ttlSeconds) {
		record("SET", key);
	}

	@Override
	public void xAdd(byte[] streamKey, byte[] json) {
		record("XADD", streamKey);
	}

	@Override
	public void publish(byte[] channel, byte[] json) {
		record("PUBLISH", channel);
	}

	@Override
	public void sPublish(byte[] channel, byte[] json) {
		record("SPUBLISH", channel);
	}

	@Override
	public void expire(byte[] key, long ttlSeconds) {
		record("EXPIRE", key);
	}

	private void record(String name, byte[] key) {
		this.commands.add(name + " " + new String(key, StandardCharsets.UTF_8));
	}

}
