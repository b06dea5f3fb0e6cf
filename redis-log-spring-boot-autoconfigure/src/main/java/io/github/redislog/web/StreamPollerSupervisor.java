package io.github.redislog.web;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

import io.github.redislog.support.TroubleReporter;
import io.github.redislog.web.LogStreamReader.ReaderFailure;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnectionFactory;

/**
 * Keeps the shared reader reading: runs a {@link StreamPoller} on the reader thread and,
 * whatever one read throws (an {@code Error} included), counts and reports it and hands
 * the viewers that follow live to a new poller, so that a viewer never waits on a reader
 * that has died.
 *
 * @author Redis Log contributors
 */
final class StreamPollerSupervisor implements Runnable {

	private final RedisConnectionFactory connectionFactory;

	private final TroubleReporter troubleReporter;

	private final Duration pollTimeout;

	private final int readCount;

	private final Iterable<LogStreamSubscription> subscriptions;

	private final LongAdder failures = new LongAdder();

	private final Object monitor = new Object();

	private volatile @Nullable ReaderFailure lastFailure;

	// The poller that reads now; null while stopped.
	private volatile @Nullable StreamPoller poller;

	/**
	 * Create a supervisor.
	 * @param connectionFactory where the pollers' connections come from
	 * @param troubleReporter where failures are reported
	 * @param pollTimeout longest time one {@code XREAD} blocks
	 * @param readCount most entries read per stream in one {@code XREAD}
	 * @param subscriptions the open streams, whose followers a new poller takes over
	 */
	StreamPollerSupervisor(RedisConnectionFactory connectionFactory, TroubleReporter troubleReporter,
			Duration pollTimeout, int readCount, Iterable<LogStreamSubscription> subscriptions) {
		this.connectionFactory = connectionFactory;
		this.troubleReporter = troubleReporter;
		this.pollTimeout = pollTimeout;
		this.readCount = readCount;
		this.subscriptions = subscriptions;
	}

	/**
	 * Make a poller ready for {@link #run()}.
	 */
	void start() {
		synchronized (this.monitor) {
			this.poller = newPoller();
		}
	}

	/**
	 * Have the poller leave its loop within the poll timeout, and {@link #run()} return.
	 */
	void stop() {
		synchronized (this.monitor) {
			StreamPoller poller = this.poller;
			this.poller = null;
			if (poller != null) {
				poller.stop();
			}
		}
	}

	@Override
	public void run() {
		StreamPoller poller;
		while ((poller = this.poller) != null) {
			try {
				poller.run();
			}
			catch (Throwable ex) {
				failed(ex);
			}
		}
	}

	/**
	 * Take a viewer live that has read up to its stream's end.
	 * @param subscription the viewer
	 * @see StreamPoller#join(LogStreamSubscription)
	 */
	void join(LogStreamSubscription subscription) {
		StreamPoller poller = this.poller;
		if (poller != null) {
			poller.join(subscription);
		}
	}

	long failures() {
		return this.failures.sum();
	}

	@Nullable ReaderFailure lastFailure() {
		return this.lastFailure;
	}

	private StreamPoller newPoller() {
		return new StreamPoller(this.connectionFactory, this.troubleReporter, this.pollTimeout, this.readCount);
	}

	private void failed(Throwable ex) {
		this.failures.increment();
		this.lastFailure = new ReaderFailure(ex.toString(), Instant.now());
		if (this.poller == null) {
			return;
		}
		this.troubleReporter.warn("The live view's stream reader failed; a new one takes its viewers over", ex);
		StreamPoller replacement = newPoller();
		synchronized (this.monitor) {
			if (this.poller == null) {
				return;
			}
			this.poller = replacement;
		}
		for (LogStreamSubscription subscription : this.subscriptions) {
			if (subscription.isFollowing()) {
				replacement.join(subscription);
			}
		}
	}

}
