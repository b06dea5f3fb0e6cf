package io.github.redislog.web;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.github.redislog.delivery.LogChannel;
import io.github.redislog.delivery.TroubleReporter;
import io.github.redislog.delivery.UnpublishedThread;
import io.github.redislog.web.LogStreamSubscription.Event;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.domain.Range;
import org.springframework.data.domain.Range.Bound;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.connection.stream.ReadOffset;
import org.springframework.data.redis.connection.stream.StreamOffset;
import org.springframework.data.redis.connection.stream.StreamReadOptions;
import org.springframework.util.Assert;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The one reader of the live view. A client's stream starts with its replay, read on the
 * request thread; the client then joins the reader at the id it was replayed to. The
 * reader tails every watched stream with a single {@code XREAD BLOCK} on a connection of
 * its own and hands each client exactly the entries after the last one it was given, so
 * nothing is lost or repeated at the replay to live boundary, and a thousand browser tabs
 * cost one blocking connection.
 * <p>
 * Events are written to the clients by a few sender threads. A client that reads slowly,
 * or not at all, only fills its own buffer and is then disconnected; its browser
 * reconnects and resumes from Redis. Neither the reader's nor the senders' records are
 * published (see {@link UnpublishedThread}), so serving a stream cannot feed it.
 *
 * @author Redis Log contributors
 */
public final class LogStreamReader implements SmartLifecycle {

	/**
	 * Lifecycle phase: above the web server's graceful shutdown
	 * ({@code DEFAULT_PHASE - 1024}), so the event streams, which never end by themselves,
	 * are completed before it waits for the requests in progress.
	 */
	public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

	/**
	 * Reconnection delay the browsers are told to use.
	 */
	static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

	private static final long FIRST_PAUSE_MILLIS = 50;

	private static final long MAX_PAUSE_MILLIS = 1000;

	private static final byte[] DATA_FIELD = LogStreams.DATA_FIELD.getBytes(StandardCharsets.UTF_8);

	private final RedisConnectionFactory connectionFactory;

	private final LogStreams streams;

	private final TroubleReporter troubleReporter;

	private final Duration pollTimeout;

	private final Duration keepalive;

	private final int readCount;

	private final long clientBufferBytes;

	private final int senderThreads;

	private final Set<LogStreamSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final Queue<Join> joins = new ConcurrentLinkedQueue<>();

	private final Object monitor = new Object();

	// Touched by the reader thread only.
	private final Map<String, Watch> watches = new LinkedHashMap<>();

	private long failures;

	private volatile boolean running;

	private @Nullable Thread thread;

	private volatile @Nullable ThreadPoolExecutor senders;

	/**
	 * Create a reader.
	 * @param connectionFactory where the reader's connection comes from
	 * @param streams reads the replays
	 * @param troubleReporter where trouble with Redis is reported
	 * @param pollTimeout longest time one {@code XREAD} blocks
	 * @param keepalive interval of the keepalive comment
	 * @param readCount most entries read per stream in one {@code XREAD}
	 * @param clientBufferBytes most data queued for one client
	 * @param senderThreads threads that write to the clients
	 */
	public LogStreamReader(RedisConnectionFactory connectionFactory, LogStreams streams,
			TroubleReporter troubleReporter, Duration pollTimeout, Duration keepalive, int readCount,
			long clientBufferBytes, int senderThreads) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(streams, "'streams' must not be null");
		Assert.notNull(troubleReporter, "'troubleReporter' must not be null");
		Assert.isTrue(pollTimeout.toMillis() > 0, "'pollTimeout' must be at least one millisecond");
		Assert.isTrue(keepalive.toMillis() > 0, "'keepalive' must be at least one millisecond");
		Assert.isTrue(readCount > 0, "'readCount' must be positive");
		Assert.isTrue(clientBufferBytes > 0, "'clientBufferBytes' must be positive");
		Assert.isTrue(senderThreads > 0, "'senderThreads' must be positive");
		this.connectionFactory = connectionFactory;
		this.streams = streams;
		this.troubleReporter = troubleReporter;
		this.pollTimeout = pollTimeout;
		this.keepalive = keepalive;
		this.readCount = readCount;
		this.clientBufferBytes = clientBufferBytes;
		this.senderThreads = senderThreads;
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		AtomicInteger count = new AtomicInteger();
		ThreadPoolExecutor senders = new ThreadPoolExecutor(this.senderThreads, this.senderThreads, 30,
				TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
				(task) -> new UnpublishedThread(task, "redis-log-sse-" + count.incrementAndGet()));
		senders.allowCoreThreadTimeOut(true);
		this.senders = senders;
		this.running = true;
		Thread reader = new UnpublishedThread(this::run, "redis-log-stream-reader");
		this.thread = reader;
		reader.start();
	}

	@Override
	public synchronized void stop() {
		Thread reader = this.thread;
		ThreadPoolExecutor senders = this.senders;
		if (!this.running || reader == null || senders == null) {
			return;
		}
		this.running = false;
		wake();
		try {
			// The reader leaves its XREAD within the poll timeout, then closes every stream.
			reader.join(this.pollTimeout.toMillis() + 2000);
			senders.shutdown();
			if (!senders.awaitTermination(2, TimeUnit.SECONDS)) {
				senders.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread = null;
		this.senders = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

	/**
	 * Return how many clients are connected.
	 * @return the number of open event streams
	 */
	public int subscriberCount() {
		return this.subscriptions.size();
	}

	/**
	 * Open a client's event stream: replay on the calling thread, then follow live.
	 * @param emitter the client's emitter
	 * @param channel the channel whose stream to read
	 * @param replay where the stream starts
	 * @param recheck asked before the first entry is sent, or {@code null}
	 * @return whether the stream was opened; {@code false} when the reader is not running
	 */
	boolean open(SseEmitter emitter, LogChannel channel, Replay replay, @Nullable BooleanSupplier recheck) {
		ThreadPoolExecutor senders = this.senders;
		if (!this.running || senders == null) {
			return false;
		}
		LogStreamSubscription subscription = new LogStreamSubscription(emitter, senders, this.clientBufferBytes,
				recheck, this.subscriptions::remove);
		this.subscriptions.add(subscription);
		try {
			subscription.hello(RECONNECT_DELAY.toMillis());
			String afterId = replay.afterId();
			List<LogStreamEntry> entries = (afterId != null) ? this.streams.after(channel, afterId, replay.count())
					: this.streams.last(channel, replay.count());
			entries.forEach(subscription::replay);
			this.joins.add(new Join(subscription, channel.streamKey(), position(channel, replay, entries)));
			wake();
			if (!this.running) {
				// Stopped meanwhile, maybe after closing every stream it knew.
				subscription.close();
			}
			return true;
		}
		catch (RuntimeException ex) {
			subscription.close();
			throw ex;
		}
	}

	private String position(LogChannel channel, Replay replay, List<LogStreamEntry> entries) {
		if (!entries.isEmpty()) {
			return entries.get(entries.size() - 1).id();
		}
		String afterId = replay.afterId();
		if (afterId != null) {
			return afterId;
		}
		if (replay.count() > 0) {
			// Nothing to replay: every entry from now on is new.
			return StreamIds.ZERO;
		}
		String last = this.streams.lastId(channel);
		return (last != null) ? last : StreamIds.ZERO;
	}

	private void run() {
		RedisConnection connection = null;
		long pauseMillis = FIRST_PAUSE_MILLIS;
		long nextKeepalive = System.nanoTime() + this.keepalive.toNanos();
		try {
			while (this.running) {
				prune();
				nextKeepalive = keepaliveIfDue(nextKeepalive);
				if (this.watches.isEmpty() && this.joins.isEmpty()) {
					awaitJoin();
					continue;
				}
				try {
					if (connection == null) {
						connection = this.connectionFactory.getConnection();
					}
					join(connection);
					if (!this.watches.isEmpty()) {
						read(connection, blockMillis(nextKeepalive));
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
					pause(pauseMillis);
					pauseMillis = Math.min(pauseMillis * 2, MAX_PAUSE_MILLIS);
				}
			}
		}
		finally {
			close(connection);
			this.subscriptions.forEach(LogStreamSubscription::close);
			this.watches.clear();
			this.joins.clear();
		}
	}

	private void join(RedisConnection connection) {
		Join join;
		while ((join = this.joins.peek()) != null) {
			LogStreamSubscription subscription = join.subscription();
			if (!subscription.isClosed()) {
				Watch watch = this.watches.get(join.streamKey());
				if (watch == null) {
					watch = new Watch(join.position());
					this.watches.put(join.streamKey(), watch);
				}
				String position = join.position();
				if (StreamIds.compare(position, watch.cursor) < 0) {
					// Others were already given entries that this client's replay did not reach.
					Range<String> missed = Range.of(Bound.exclusive(position), Bound.inclusive(watch.cursor));
					for (ByteRecord record : connection.streamCommands().xRange(bytes(join.streamKey()), missed)) {
						subscription.live(Event.of(entry(record)));
					}
					position = watch.cursor;
				}
				subscription.position(position);
				watch.subscriptions.add(subscription);
			}
			this.joins.poll();
		}
	}

	@SuppressWarnings("unchecked")
	private void read(RedisConnection connection, long blockMillis) {
		List<StreamOffset<byte[]>> offsets = new ArrayList<>(this.watches.size());
		this.watches
			.forEach((key, watch) -> offsets.add(StreamOffset.create(bytes(key), ReadOffset.from(watch.cursor))));
		List<ByteRecord> records = connection.streamCommands()
			.xRead(StreamReadOptions.empty().count(this.readCount).block(Duration.ofMillis(blockMillis)),
					offsets.toArray(new StreamOffset[0]));
		if (records == null) {
			return;
		}
		for (ByteRecord record : records) {
			Watch watch = this.watches.get(new String(record.getRequiredStream(), StandardCharsets.UTF_8));
			if (watch != null) {
				LogStreamEntry entry = entry(record);
				watch.cursor = entry.id();
				fanOut(watch, entry);
			}
		}
	}

	private static void fanOut(Watch watch, LogStreamEntry entry) {
		Event event = null;
		for (LogStreamSubscription subscription : watch.subscriptions) {
			if (StreamIds.compare(entry.id(), subscription.position()) > 0) {
				if (event == null) {
					event = Event.of(entry);
				}
				subscription.position(entry.id());
				subscription.live(event);
			}
		}
	}

	private long keepaliveIfDue(long nextKeepalive) {
		long now = System.nanoTime();
		if (now - nextKeepalive < 0) {
			return nextKeepalive;
		}
		this.watches.values().forEach((watch) -> watch.subscriptions.forEach(LogStreamSubscription::keepalive));
		return now + this.keepalive.toNanos();
	}

	private void prune() {
		Iterator<Watch> watches = this.watches.values().iterator();
		while (watches.hasNext()) {
			Watch watch = watches.next();
			watch.subscriptions.removeIf(LogStreamSubscription::isClosed);
			if (watch.subscriptions.isEmpty()) {
				watches.remove();
			}
		}
	}

	private long blockMillis(long nextKeepalive) {
		long untilKeepalive = TimeUnit.NANOSECONDS.toMillis(nextKeepalive - System.nanoTime());
		// XREAD BLOCK 0 would wait forever.
		return Math.max(1, Math.min(this.pollTimeout.toMillis(), untilKeepalive));
	}

	private void awaitJoin() {
		synchronized (this.monitor) {
			if (this.running && this.joins.isEmpty()) {
				try {
					this.monitor.wait(this.keepalive.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}
	}

	private void pause(long millis) {
		synchronized (this.monitor) {
			if (this.running) {
				try {
					this.monitor.wait(millis);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
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

	private static byte[] bytes(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Where a client's stream starts.
	 *
	 * @param afterId the id to resume after, or {@code null} to replay the last entries
	 * @param count most entries to replay
	 */
	record Replay(@Nullable String afterId, int count) {

	}

	private record Join(LogStreamSubscription subscription, String streamKey, String position) {

	}

	private static final class Watch {

		private final List<LogStreamSubscription> subscriptions = new ArrayList<>();

		// The id of the last entry read from the stream.
		private String cursor;

		Watch(String cursor) {
			this.cursor = cursor;
		}

	}

}
