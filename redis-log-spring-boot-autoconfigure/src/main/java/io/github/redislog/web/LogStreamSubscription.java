package io.github.redislog.web;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

/**
 * One viewer of one stream, with a cursor of its own: the id of the last entry queued
 * for it. Nothing the viewer sends moves anything but this cursor.
 * <p>
 * The viewer first catches up on its own ({@link StreamCatchUp}). When it has read up to
 * the stream's end it asks the shared reader to take it live; the reader does so only if
 * it has not read past the viewer's cursor, and otherwise hands it back to catch up
 * further. Live entries are queued only when they come after the cursor, so nothing is
 * lost or repeated at the boundary. At every keepalive its access is asked again
 * ({@link AccessRecheck}).
 *
 * @author Redis Log contributors
 */
final class LogStreamSubscription {

	private final LogChannel channel;

	private final LogStreamFilter filter;

	private final Executor senders;

	private final Consumer<LogStreamSubscription> goLive;

	private final StreamCatchUp catchUp;

	private final AccessRecheck access;

	private final @Nullable String sessionId;

	private volatile @Nullable SseConnection connection;

	private volatile Phase phase = Phase.STARTING;

	// The id of the last entry queued for this viewer: moved by the filling sender while
	// catching up, by the reader thread while live.
	private volatile StreamId position = StreamId.ZERO;

	/**
	 * Create a subscription.
	 * @param channel the channel read
	 * @param start where the viewer starts
	 * @param filter which entries the viewer asked for
	 * @param sessionId the viewer's HTTP session, or {@code null}
	 * @param streams reads the pages
	 * @param allowed whether the viewer may still read the stream, asked at every
	 * keepalive
	 * @param senders runs the reads and checks
	 * @param goLive asks the shared reader to take the viewer live
	 */
	LogStreamSubscription(LogChannel channel, StreamStart start, LogStreamFilter filter, @Nullable String sessionId,
			LogStreams streams, BooleanSupplier allowed, Executor senders, Consumer<LogStreamSubscription> goLive) {
		this.channel = channel;
		this.filter = filter;
		this.sessionId = sessionId;
		this.senders = senders;
		this.goLive = goLive;
		this.catchUp = new StreamCatchUp(channel, start, filter, streams);
		this.access = new AccessRecheck(allowed);
	}

	/**
	 * Start sending on a connection: the hello frame, then the catch-up.
	 * @param connection the client's connection
	 * @param reconnectMillis the reconnection delay browsers should use
	 */
	void start(SseConnection connection, long reconnectMillis) {
		this.connection = connection;
		connection.sendUnbounded(SseFrames.hello(reconnectMillis));
		this.phase = Phase.CATCHING_UP;
		fillLater();
	}

	String streamKey() {
		return this.channel.streamKey();
	}

	StreamId position() {
		return this.position;
	}

	@Nullable String sessionId() {
		return this.sessionId;
	}

	@Nullable SseConnection connection() {
		return this.connection;
	}

	long bufferedBytes() {
		SseConnection connection = this.connection;
		return (connection != null) ? connection.bufferedBytes() : 0;
	}

	boolean isEnding() {
		SseConnection connection = this.connection;
		return connection == null || connection.isEnding();
	}

	/**
	 * End the stream.
	 * @param reason why
	 */
	void end(StreamEnd reason) {
		SseConnection connection = this.connection;
		if (connection != null) {
			connection.end(reason);
		}
	}

	/**
	 * Return whether the viewer reads its pages from Redis.
	 * @return whether it is catching up
	 */
	boolean isCatchingUp() {
		return this.phase == Phase.CATCHING_UP;
	}

	/**
	 * Called by the catch-up with the id of the last entry it queued or passed over.
	 * @param position the viewer's new position
	 */
	void moveTo(StreamId position) {
		this.position = position;
	}

	/**
	 * Called by the catch-up when the viewer has read up to the stream's end: ask the
	 * shared reader to take it live.
	 */
	void join() {
		this.phase = Phase.JOINING;
		this.goLive.accept(this);
	}

	/**
	 * Called by the reader thread when the viewer asked to go live but the reader no longer
	 * holds every entry after its position: the viewer catches up further from Redis.
	 */
	void catchUp() {
		this.phase = Phase.CATCHING_UP;
		fillLater();
	}

	/**
	 * Called by the reader thread when it takes the viewer live.
	 */
	void followLive() {
		this.phase = Phase.LIVE;
	}

	/**
	 * Return whether the viewer has handed itself to the shared reader, to join or live.
	 * @return whether the reader is responsible for it
	 */
	boolean isFollowing() {
		return this.phase == Phase.JOINING || this.phase == Phase.LIVE;
	}

	/**
	 * Called by the reader thread with an entry it read, and its frame.
	 * @param entry the entry
	 * @param frame the entry's frame
	 */
	void live(LogStreamEntry entry, byte[] frame) {
		SseConnection connection = this.connection;
		if (this.phase == Phase.LIVE && connection != null && entry.streamId().compareTo(this.position) > 0
				&& (!this.filter.matches(entry) || connection.send(frame))) {
			this.position = entry.streamId();
		}
	}

	/**
	 * Disconnect the client if it took nothing within the send timeout.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @param timeoutNanos the send timeout
	 */
	void checkProgress(long nowNanos, long timeoutNanos) {
		SseConnection connection = this.connection;
		if (connection != null) {
			connection.checkProgress(nowNanos, timeoutNanos);
		}
	}

	/**
	 * Called every keepalive: queue the comment unless data is on its way anyway, ask the
	 * access policy again, and read again a page that could not be read.
	 */
	void keepalive() {
		SseConnection connection = this.connection;
		if (connection == null || connection.isEnding()) {
			return;
		}
		connection.keepalive();
		this.access.askLater(this);
		this.catchUp.retry(this);
	}

	/**
	 * Called when the connection has room: read the next page if still catching up.
	 */
	void fillLater() {
		this.catchUp.fillLater(this);
	}

	/**
	 * Run a read or a check on a sender thread; the stream ends if the senders have stopped.
	 * @param task what to run
	 */
	void execute(Runnable task) {
		try {
			this.senders.execute(task);
		}
		catch (RejectedExecutionException ex) {
			end(StreamEnd.SHUTDOWN);
		}
	}

	private enum Phase {

		STARTING, CATCHING_UP, JOINING, LIVE

	}

}
