package io.github.redislog.web;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import jakarta.servlet.AsyncContext;

import io.github.redislog.support.TroubleReporter;
import io.github.redislog.support.UnpublishedThread;
import io.github.redislog.web.LogStreamLimits.Permit;
import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.Assert;

/**
 * The live view's engine and its lifecycle: one reader thread that tails the watched
 * streams ({@link StreamPoller}), a few sender threads that write to the clients without
 * ever waiting for one and read the catch-up pages, and a watchdog thread for keepalives,
 * send timeouts and access re-checks. None of their records are published (see
 * {@link UnpublishedThread}), so serving a stream cannot feed it. The reader thread is
 * supervised ({@link StreamPollerSupervisor}); the open streams are kept by
 * {@link StreamSubscriptions}.
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

	private static final long STOP_WAIT_MILLIS = 2000;

	private final LogStreams streams;

	private final Duration pollTimeout;

	private final Duration keepalive;

	private final long clientBufferBytes;

	private final int senderThreads;

	private final Duration sendTimeout;

	private final StreamSubscriptions subscriptions = new StreamSubscriptions();

	private final StreamPollerSupervisor supervisor;

	private volatile boolean running;

	private @Nullable Thread thread;

	private volatile @Nullable ThreadPoolExecutor senders;

	private @Nullable ScheduledThreadPoolExecutor watchdog;

	/**
	 * Create a reader.
	 * @param connectionFactory where the reader's connection comes from
	 * @param streams reads the catch-up pages
	 * @param troubleReporter where trouble with Redis is reported
	 * @param pollTimeout longest time one {@code XREAD} blocks
	 * @param keepalive interval of the keepalive comment and of the access re-check
	 * @param readCount most entries read per stream in one {@code XREAD}
	 * @param clientBufferBytes most data waiting for one client
	 * @param senderThreads threads that write to the clients
	 * @param sendTimeout longest time a client may take nothing of what waits for it
	 */
	public LogStreamReader(RedisConnectionFactory connectionFactory, LogStreams streams,
			TroubleReporter troubleReporter, Duration pollTimeout, Duration keepalive, int readCount,
			long clientBufferBytes, int senderThreads, Duration sendTimeout) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(streams, "'streams' must not be null");
		Assert.notNull(troubleReporter, "'troubleReporter' must not be null");
		Assert.isTrue(pollTimeout.toMillis() > 0, "'pollTimeout' must be at least one millisecond");
		Assert.isTrue(keepalive.toMillis() > 0, "'keepalive' must be at least one millisecond");
		Assert.isTrue(readCount > 0, "'readCount' must be positive");
		Assert.isTrue(clientBufferBytes > 0, "'clientBufferBytes' must be positive");
		Assert.isTrue(senderThreads > 0, "'senderThreads' must be positive");
		Assert.isTrue(sendTimeout.toMillis() > 0, "'sendTimeout' must be at least one millisecond");
		this.streams = streams;
		this.pollTimeout = pollTimeout;
		this.keepalive = keepalive;
		this.clientBufferBytes = clientBufferBytes;
		this.senderThreads = senderThreads;
		this.sendTimeout = sendTimeout;
		this.supervisor = new StreamPollerSupervisor(connectionFactory, troubleReporter, pollTimeout, readCount,
				this.subscriptions);
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
		ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1,
				(task) -> new UnpublishedThread(task, "redis-log-sse-watchdog"));
		long tick = LogStreamWatchdog.tick(this.keepalive, this.sendTimeout).toMillis();
		watchdog.scheduleWithFixedDelay(new LogStreamWatchdog(this.subscriptions, this.keepalive, this.sendTimeout),
				tick, tick, TimeUnit.MILLISECONDS);
		this.senders = senders;
		this.watchdog = watchdog;
		this.supervisor.start();
		this.running = true;
		Thread reader = new UnpublishedThread(this.supervisor, "redis-log-stream-reader");
		this.thread = reader;
		reader.start();
	}

	@Override
	public synchronized void stop() {
		Thread reader = this.thread;
		ThreadPoolExecutor senders = this.senders;
		ScheduledThreadPoolExecutor watchdog = this.watchdog;
		if (!this.running || reader == null || senders == null || watchdog == null) {
			return;
		}
		this.running = false;
		this.supervisor.stop();
		watchdog.shutdownNow();
		this.subscriptions.endAll(StreamEnd.SHUTDOWN);
		try {
			// The reader leaves its XREAD within the poll timeout.
			reader.join(this.pollTimeout.toMillis() + STOP_WAIT_MILLIS);
			senders.shutdown();
			if (!senders.awaitTermination(STOP_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
				senders.shutdownNow();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		this.thread = null;
		this.senders = null;
		this.watchdog = null;
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
		return this.subscriptions.count();
	}

	/**
	 * Return how much data waits for the clients, in all.
	 * @return the bytes queued for the clients and not yet written
	 */
	public long bufferedBytes() {
		return this.subscriptions.bufferedBytes();
	}

	/**
	 * Return how many event streams have ended for a reason since the application
	 * started.
	 * @param reason the reason
	 * @return how many ended for it
	 */
	public long endCount(StreamEnd reason) {
		return this.subscriptions.endCount(reason);
	}

	/**
	 * Return how many times the shared reader failed with something other than trouble
	 * with Redis, and was replaced.
	 * @return the number of failures since the application started
	 */
	public long readerFailures() {
		return this.supervisor.failures();
	}

	/**
	 * Return the reader's last failure.
	 * @return what it threw and when, or {@code null} if it never failed
	 */
	public @Nullable ReaderFailure lastReaderFailure() {
		return this.supervisor.lastFailure();
	}

	/**
	 * Return whether the reader's thread is alive.
	 * @return whether the live views are served
	 */
	public boolean isReading() {
		Thread reader = this.thread;
		return this.running && reader != null && reader.isAlive();
	}

	/**
	 * Open a client's event stream on a request put in async mode: catch up from Redis,
	 * then follow live.
	 * @param async the request's async context, nothing written yet
	 * @param channel the channel whose stream to read
	 * @param start where the stream starts
	 * @param filter which entries the viewer asked for
	 * @param allowed whether the viewer may still read the stream, asked at every keepalive
	 * @param sessionId the viewer's HTTP session, whose end ends the stream, or {@code null}
	 * @param permit the stream's place among the limits, released when it ends
	 * @return whether the stream was opened; {@code false} when the reader is not running
	 */
	boolean open(AsyncContext async, LogChannel channel, StreamStart start, LogStreamFilter filter, BooleanSupplier allowed,
			@Nullable String sessionId, Permit permit) {
		ThreadPoolExecutor senders = this.senders;
		if (!this.running || senders == null) {
			return false;
		}
		LogStreamSubscription subscription = new LogStreamSubscription(channel, start, filter, sessionId, this.streams,
				allowed, senders, this.supervisor::join);
		SseConnection connection = new SseConnection(async, senders, this.clientBufferBytes,
				subscription::fillLater, (reason) -> this.subscriptions.ended(subscription, reason, permit));
		this.subscriptions.add(subscription);
		subscription.start(connection, RECONNECT_DELAY.toMillis());
		try {
			connection.start();
		}
		catch (IOException | RuntimeException ex) {
			connection.end(StreamEnd.CLIENT_CLOSED);
		}
		if (!this.running) {
			// Stopped meanwhile, maybe after ending every stream it knew.
			connection.end(StreamEnd.SHUTDOWN);
		}
		return true;
	}

	/**
	 * End the streams opened in an HTTP session, for example when its user signs out.
	 * @param sessionId the session's id
	 */
	public void endSession(String sessionId) {
		this.subscriptions.endSession(sessionId, StreamEnd.UNAUTHORIZED);
	}

	/**
	 * What the reader threw when it last failed.
	 *
	 * @param error the throwable, as text
	 * @param at when
	 */
	public record ReaderFailure(String error, Instant at) {

	}

}
