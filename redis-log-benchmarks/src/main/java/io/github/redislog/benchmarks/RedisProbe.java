package io.github.redislog.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.redislog.wire.LogChannel;

import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;

/**
 * What the load tool reads from its {@code redis-server}, on connections of its own: what
 * Redis counted ({@code INFO commandstats}), the CPU time of its process, stream entries.
 *
 * @author Redis Log contributors
 */
final class RedisProbe implements AutoCloseable {

	private static final long CLOCK_TICKS_PER_SECOND = 100;

	private final RedisClient client;

	private final StatefulRedisConnection<String, String> connection;

	private final long pid;

	RedisProbe(int port) {
		// The timeout on the URI: Lettuce 7 (Spring Boot 4.1) has no RedisClient.setDefaultTimeout.
		this.client = RedisClient
			.create(RedisURI.builder().withHost("127.0.0.1").withPort(port).withTimeout(Duration.ofSeconds(30)).build());
		this.connection = this.client.connect();
		this.pid = Long.parseLong(infoField("server", "process_id"));
	}

	/**
	 * Return how many calls of a command Redis has executed.
	 * @param command the command, lower case, for example {@code xadd}
	 * @return the calls since the server started
	 */
	long calls(String command) {
		String prefix = "cmdstat_" + command + ":calls=";
		for (String line : this.connection.sync().info("commandstats").split("\r\n")) {
			if (line.startsWith(prefix)) {
				return Long.parseLong(line.substring(prefix.length(), line.indexOf(',', prefix.length())));
			}
		}
		return 0;
	}

	long connectionsReceived() {
		return Long.parseLong(infoField("stats", "total_connections_received"));
	}

	/**
	 * Return the CPU time, user and system, that the server process has used.
	 * @return the CPU time in nanoseconds
	 */
	long cpuNanos() {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(this.pid), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
			return ticks * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/**
	 * Return the {@code data} field of the newest entries of a stream.
	 * @param streamKey the stream
	 * @param count the most entries
	 * @return the payloads, newest first
	 */
	List<byte[]> newestPayloads(String streamKey, int count) {
		try (StatefulRedisConnection<byte[], byte[]> bytes = this.client.connect(ByteArrayCodec.INSTANCE)) {
			List<byte[]> payloads = new ArrayList<>();
			for (StreamMessage<byte[], byte[]> message : bytes.sync()
				.xrevrange(key(streamKey), Range.create("-", "+"),
						Limit.from(count))) {
				message.getBody().forEach((field, value) -> payloads.add(value));
			}
			return payloads;
		}
	}

	/**
	 * Open a connection that tails a stream, for a reader thread of its own.
	 * @param streamKey the stream
	 * @return the tail, starting after the stream's newest entry
	 */
	StreamTail tail(String streamKey) {
		StatefulRedisConnection<String, String> tailConnection = this.client.connect(StringCodec.UTF8);
		List<StreamMessage<String, String>> newest = tailConnection.sync()
			.xrevrange(streamKey, Range.create("-", "+"), Limit.from(1));
		return new StreamTail(tailConnection, streamKey, newest.isEmpty() ? "0-0" : newest.get(0).getId());
	}

	private String infoField(String section, String field) {
		for (String line : this.connection.sync().info(section).split("\r\n")) {
			if (line.startsWith(field + ":")) {
				return line.substring(field.length() + 1).trim();
			}
		}
		throw new IllegalStateException("INFO " + section + " has no " + field);
	}

	private static byte[] key(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.connection.close();
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
	}

	/**
	 * Reads a stream from a given entry on, blocking for new entries.
	 */
	static final class StreamTail implements AutoCloseable {

		private final StatefulRedisConnection<String, String> connection;

		private final String streamKey;

		private String lastId;

		private StreamTail(StatefulRedisConnection<String, String> connection, String streamKey, String lastId) {
			this.connection = connection;
			this.streamKey = streamKey;
			this.lastId = lastId;
		}

		/**
		 * Return the entries after the last one returned, waiting up to the timeout for one.
		 * @param timeout how long to block
		 * @return the {@code data} fields of the entries, possibly none
		 */
		List<String> next(Duration timeout) {
			RedisCommands<String, String> commands = this.connection.sync();
			List<StreamMessage<String, String>> messages = commands.xread(
					XReadArgs.Builder.block(timeout).count(1000),
					XReadArgs.StreamOffset.from(this.streamKey, this.lastId));
			List<String> payloads = new ArrayList<>(messages.size());
			for (StreamMessage<String, String> message : messages) {
				payloads.add(message.getBody().get(LogChannel.PAYLOAD_FIELD));
				this.lastId = message.getId();
			}
			return payloads;
		}

		@Override
		public void close() {
			this.connection.close();
		}

	}

}
