package io.github.redislog.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import io.github.redislog.support.TroubleReporter;
import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;

/**
 * The live half of the live view: tails every stream that a live viewer watches on a
 * connection of its own (see {@link StreamReads}: one {@code XREAD BLOCK}, or on a Redis
 * Cluster one pipelined {@code XREAD} per stream), and hands each entry to the
 * viewers whose cursor it comes after. Its cursor per stream is the id of the last entry
 * it read, never one a client sent: a stream is first watched from the cursor of a viewer
 * that has just read up to the stream's end.
 * <p>
 * Runs on one thread, {@link #run()}, until {@link #stop()}.
 *
 * @author Redis Log contributors
 */
final class StreamPoller implements Runnable {

	private static final long FIRST_PAUSE_MILLIS = 50;

	private static final long MAX_PAUSE_MILLIS = 1000;

	private static final long IDLE_WAIT_MILLIS = 1000;

	private static final byte[] DATA_FIELD = LogChannel.PAYLOAD_FIELD.getBytes(StandardCharsets.UTF_8);

	private final RedisConnectionFactory connectionFactory;

	private final TroubleReporter troubleReporter;

	private final Duration pollTimeout;

	private final int readCount;

	private final Queue<LogStreamSubscription> joins = new ConcurrentLinkedQueue<>();

	private final Object monitor = new Object();

	// Touched by the reader thread only.
	private final Map<String, StreamWatch> watches = new LinkedHashMap<>();

	private long failures;

	private volatile boolean running = true;

	StreamPoller(RedisConnectionFactory connectionFactory, TroubleReporter troubleReporter, Duration pollTimeout,
			int readCount) {
		this.connectionFactory = connectionFactory;
		this.troubleReporter = troubleReporter;
		this.pollTimeout = pollTimeout;
		this.readCount = readCount;
	}

	/**
	 * Take a viewer live that has read up to its stream's end; it is taken if the reader
	 * has not read past its cursor, and otherwise sent back to catch up.
	 * @param subscription the viewer
	 */
	void join(LogStreamSubscription subscription) {
		this.joins.add(subscription);
		wake();
	}

	/**
	 * Leave the loop within the poll timeout.
	 */
	void stop() {
		this.running = false;
		wake();
	}

	@Override
	public void run() {
		RedisConnection connection = null;
		StreamReads reads = null;
		long pauseMillis = FIRST_PAUSE_MILLIS;
		try {
			while (this.running) {
				prune();
				if (this.watches.isEmpty() && this.joins.isEmpty()) {
					await(IDLE_WAIT_MILLIS);
					continue;
				}
				try {
					if (connection == null) {
						connection = this.connectionFactory.getConnection();
						reads = StreamReads.of(connection, this.readCount, this.pollTimeout);
					}
					join();
					if (!this.watches.isEmpty()) {
						read(connection, reads);
					}
					recovered();
					pauseMillis = FIRST_PAUSE_MILLIS;
				}
				catch (RuntimeException ex) {
					if (!this.running) {
						break;
					}
					failed(ex);
					close(connection);
					connection = null;
					await(pauseMillis);
					pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
				}
			}
		}
		finally {
			close(connection);
			this.watches.clear();
			this.joins.clear();
		}
	}

	private void join() {
		LogStreamSubscription joining;
		while ((joining = this.joins.poll()) != null) {
			LogStreamSubscription subscription = joining;
			if (!subscription.isEnding()) {
				// A viewer that has just read up to the stream's end has a real id as its position.
				this.watches.computeIfAbsent(subscription.streamKey(), (key) -> new StreamWatch(subscription.position()))
					.join(subscription);
			}
		}
	}

	private void read(RedisConnection connection, StreamReads reads) {
		Map<String, String> cursors = new LinkedHashMap<>();
		this.watches.forEach((key, watch) -> cursors.put(key, watch.cursor().toString()));
		List<ByteRecord> records = reads.read(connection, cursors);
		if (records.isEmpty()) {
			Duration wait = reads.idleWait();
			if (!wait.isZero()) {
				// A join wakes the wait: a new viewer is read from at once.
				await(wait.toMillis());
			}
			return;
		}
		for (ByteRecord record : records) {
			StreamWatch watch = this.watches.get(new String(record.getRequiredStream(), StandardCharsets.UTF_8));
			if (watch != null) {
				watch.read(entry(record));
			}
		}
	}

	private void prune() {
		this.watches.values().removeIf(StreamWatch::prune);
	}

	private void await(long millis) {
		synchronized (this.monitor) {
			if (this.running && this.joins.isEmpty()) {
				try {
					this.monitor.wait(millis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.running = false;
				}
			}
		}
	}

	private void wake() {
		synchronized (this.monitor) {
			this.monitor.notifyAll();
		}
	}

	private void failed(RuntimeException ex) {
		if (this.failures++ == 0) {
			this.troubleReporter.warn("Cannot read the log streams from Redis; the live views wait and resume "
					+ "when it is back", ex);
		}
	}

	private void recovered() {
		if (this.failures > 0) {
			this.troubleReporter.warn("Reading the log streams from Redis works again after " + this.failures
					+ " failed attempt(s)", null);
			this.failures = 0;
		}
	}

	private static void close(@Nullable RedisConnection connection) {
		if (connection != null) {
			try {
				connection.close();
			}
			catch (RuntimeException ex) {
				// Broken already: the next attempt opens a new one.
			}
		}
	}

	private static LogStreamEntry entry(ByteRecord record) {
		String data = "";
		for (Map.Entry<byte[], byte[]> field : record.getValue().entrySet()) {
			if (Arrays.equals(field.getKey(), DATA_FIELD)) {
				data = new String(field.getValue(), StandardCharsets.UTF_8);
			}
		}
		return new LogStreamEntry(record.getId().getValue(), data);
	}

}
