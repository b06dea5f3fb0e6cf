package io.github.redislog.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.connection.RedisClusterConnection;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;

/**
 * How the live view's reader reads the entries after its cursors in the streams it watches.
 * On one Redis, a single {@code XREAD BLOCK} over every stream waits for the next entry of
 * any of them. On a Redis Cluster, a command may only name keys of one slot
 * ({@code CROSSSLOT}) and a blocking one would hold its node connection: there each stream
 * gets a non-blocking {@code XREAD} of its own, all sent as one pipeline that the client
 * splits per node, following the cluster's topology as it changes. While nothing arrives
 * the reader polls again after {@link #POLL_INTERVAL}, doubled after each empty read up to
 * {@link #MAX_POLL_INTERVAL}, so that thousands of idle viewers cost a few reads a second.
 *
 * @author Redis Log contributors
 */
abstract class StreamReads {

	/**
	 * How long the reader waits between two reads that found nothing on a Redis Cluster.
	 */
	static final Duration POLL_INTERVAL = Duration.ofMillis(50);

	/**
	 * Longest wait between two reads that found nothing on a Redis Cluster.
	 */
	static final Duration MAX_POLL_INTERVAL = Duration.ofMillis(500);

	/**
	 * Return the reads for a connection.
	 * @param connection the reader's connection
	 * @param count most entries read per stream and read
	 * @param pollTimeout longest wait of a blocking read
	 * @return the reads
	 */
	static StreamReads of(RedisConnection connection, int count, Duration pollTimeout) {
		return (connection instanceof RedisClusterConnection) ? new Polling(count) : new Blocking(count, pollTimeout);
	}

	/**
	 * Read the entries after the cursors.
	 * @param connection the connection
	 * @param cursors the last id read per stream key
	 * @return the entries, with their stream keys
	 */
	abstract List<ByteRecord> read(RedisConnection connection, Map<String, String> cursors);

	/**
	 * Return how long to wait before the next read, after one that found nothing.
	 * @return the wait, zero when the read itself waited for entries
	 */
	abstract Duration idleWait();

	private static StreamOffset<byte[]> offset(String key, String cursor) {
		return StreamOffset.create(key.getBytes(StandardCharsets.UTF_8), ReadOffset.from(cursor));
	}

	/**
	 * One {@code XREAD BLOCK} over every stream.
	 */
	private static final class Blocking extends StreamReads {

		private final StreamReadOptions options;

		Blocking(int count, Duration pollTimeout) {
			this.options = StreamReadOptions.empty().count(count).block(pollTimeout);
		}

		@Override
		@SuppressWarnings("unchecked")
		List<ByteRecord> read(RedisConnection connection, Map<String, String> cursors) {
			List<StreamOffset<byte[]>> offsets = new ArrayList<>(cursors.size());
			cursors.forEach((key, cursor) -> offsets.add(offset(key, cursor)));
			List<ByteRecord> records = connection.streamCommands()
				.xRead(this.options, offsets.toArray(new StreamOffset[0]));
			return (records != null) ? records : List.of();
		}

		@Override
		Duration idleWait() {
			return Duration.ZERO;
		}

	}

	/**
	 * A non-blocking {@code XREAD} per stream, in one pipeline.
	 */
	private static final class Polling extends StreamReads {

		private final StreamReadOptions options;

		private Duration idleWait = POLL_INTERVAL;

		Polling(int count) {
			this.options = StreamReadOptions.empty().count(count);
		}

		@Override
		@SuppressWarnings("unchecked")
		List<ByteRecord> read(RedisConnection connection, Map<String, String> cursors) {
			connection.openPipeline();
			cursors.forEach((key, cursor) -> connection.streamCommands().xRead(this.options, offset(key, cursor)));
			List<ByteRecord> records = new ArrayList<>();
			for (Object result : connection.closePipeline()) {
				if (result instanceof List<?> entries) {
					records.addAll((List<ByteRecord>) entries);
				}
			}
			if (!records.isEmpty()) {
				this.idleWait = POLL_INTERVAL;
			}
			return records;
		}

		@Override
		Duration idleWait() {
			Duration wait = this.idleWait;
			this.idleWait = (wait.compareTo(MAX_POLL_INTERVAL) < 0) ? wait.multipliedBy(2) : MAX_POLL_INTERVAL;
			return wait;
		}

	}

}
