package io.github.redislog.web;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import io.github.redislog.web.StreamStart.Position;
import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;

/**
 * One viewer of one stream, with a cursor of its own: the id of the last entry queued
 * for it. Nothing the viewer sends moves anything but this cursor.
 * <p>
 * The viewer first catches up on its own: pages read from Redis after its cursor, each
 * only when its connection has room for it, so a client that does not read holds at most
 * its buffer. When a page comes back short the viewer asks the shared reader to take it
 * live; the reader does so only if it has not read past the viewer's cursor, and
 * otherwise hands it back to catch up further. Live entries are queued only when they
 * come after the cursor, so nothing is lost or repeated at the boundary.
 *
 * @author Redis Log contributors
 */
final class LogStreamSubscription {

	private static final int MAX_PAGE = 100;

	private static final int FIRST_PAGE = 10;

	private final LogChannel channel;

	private final StreamStart start;

	private final LogStreamFilter filter;

	private final LogStreams streams;

	private final BooleanSupplier allowed;

	private final Executor senders;

	private final Consumer<LogStreamSubscription> goLive;

	private final AtomicBoolean filling = new AtomicBoolean();

	private final AtomicBoolean checking = new AtomicBoolean();

	private final @Nullable String sessionId;

	private volatile @Nullable SseConnection connection;

	private volatile Phase phase = Phase.STARTING;

	// The id of the last entry queued for this viewer: moved by the filling sender while
	// catching up, by the reader thread while live.
	private volatile StreamId position = StreamId.ZERO;

	// Touched by one fill at a time.
	private boolean resolved;

	// Whether the last page could not be read.
	private volatile boolean failed;

	// Zero until the first page told how large this stream's entries are.
	private long averageFrameBytes;

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
		this.start = start;
		this.filter = filter;
		this.sessionId = sessionId;
		this.streams = streams;
		this.allowed = allowed;
		this.senders = senders;
		this.goLive = goLive;
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
	 * Called every keepalive: queue the comment unless data is on its way anyway, and ask
	 * the access policy again on a sender thread.
	 */
	void keepalive() {
		SseConnection connection = this.connection;
		if (connection == null || connection.isEnding()) {
			return;
		}
		if (connection.bufferedBytes() == 0) {
			connection.send(SseFrames.KEEPALIVE);
		}
		if (this.checking.compareAndSet(false, true)) {
			execute(this::recheck);
		}
		if (this.failed) {
			this.failed = false;
			fillLater();
		}
	}

	/**
	 * Called when the connection has room: read the next page if still catching up.
	 */
	void fillLater() {
		if (this.phase == Phase.CATCHING_UP && !isEnding() && this.filling.compareAndSet(false, true)) {
			execute(this::fill);
		}
	}

	private void fill() {
		try {
			SseConnection connection = this.connection;
			while (this.phase == Phase.CATCHING_UP && connection != null && !connection.isEnding()) {
				if (!connection.hasRoom()) {
					return;
				}
				if (!this.resolved) {
					Position start = this.start.resolve(this.streams, this.channel, this.filter);
					this.position = start.after();
					this.resolved = true;
					if (start.trimmedAfter() != null) {
						connection.sendUnbounded(SseFrames.gap(start.trimmedAfter()));
					}
				}
				long room = connection.room();
				int count = (this.averageFrameBytes > 0)
						? (int) Math.max(1, Math.min(MAX_PAGE, room / this.averageFrameBytes)) : FIRST_PAGE;
				List<LogStreamEntry> page = this.streams.after(this.channel, this.position.toString(), count);
				long bytes = 0;
				int sent = 0;
				for (LogStreamEntry entry : page) {
					if (this.filter.matches(entry)) {
						byte[] frame = SseFrames.entry(entry);
						bytes += frame.length;
						sent++;
						if (!connection.sendUnbounded(frame)) {
							return;
						}
					}
					this.position = entry.streamId();
				}
				if (sent > 0) {
					this.averageFrameBytes = Math.max(64, bytes / sent);
				}
				if (page.size() < count) {
					this.phase = Phase.JOINING;
					this.goLive.accept(this);
					return;
				}
			}
		}
		catch (DataAccessException ex) {
			// Redis is away: the stream stays open, and the next keepalive tries again.
			this.failed = true;
		}
		finally {
			this.filling.set(false);
		}
		// Room may have been made while this fill was returning.
		SseConnection connection = this.connection;
		if (!this.failed && connection != null && connection.hasRoom() && this.phase == Phase.CATCHING_UP) {
			fillLater();
		}
	}

	private void recheck() {
		try {
			if (!isEnding() && !this.allowed.getAsBoolean()) {
				end(StreamEnd.UNAUTHORIZED);
			}
		}
		catch (RuntimeException ex) {
			// Cannot tell now (Redis may be down): asked again at the next keepalive.
		}
		finally {
			this.checking.set(false);
		}
	}

	private void execute(Runnable task) {
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
