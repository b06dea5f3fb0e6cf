package io.github.redislog.web;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.redislog.web.StreamStart.Position;
import io.github.redislog.wire.LogChannel;

import org.springframework.dao.DataAccessException;

/**
 * A viewer's catch-up from Redis: pages read after its cursor on a sender thread, each
 * only when its connection has room for it, so a client that does not read holds at most
 * its buffer. Pages are sized to the room left, from the size of the entries read so far;
 * one that comes back short means the viewer has read up to the stream's end, and it asks
 * to go live. One read runs at a time; a page that could not be read (Redis is away) is
 * read again at the next keepalive.
 *
 * @author Redis Log contributors
 */
final class StreamCatchUp {

	private static final int MAX_PAGE = 100;

	private static final int FIRST_PAGE = 10;

	private final LogChannel channel;

	private final StreamStart start;

	private final LogStreamFilter filter;

	private final LogStreams streams;

	private final AtomicBoolean filling = new AtomicBoolean();

	// Touched by one fill at a time.
	private boolean resolved;

	// Whether the last page could not be read.
	private volatile boolean failed;

	// Zero until the first page told how large this stream's entries are.
	private long averageFrameBytes;

	/**
	 * Create a catch-up.
	 * @param channel the channel read
	 * @param start where the viewer starts
	 * @param filter which entries the viewer asked for
	 * @param streams reads the pages
	 */
	StreamCatchUp(LogChannel channel, StreamStart start, LogStreamFilter filter, LogStreams streams) {
		this.channel = channel;
		this.start = start;
		this.filter = filter;
		this.streams = streams;
	}

	/**
	 * Read the next pages on a sender thread if the viewer is catching up and no read is
	 * under way.
	 * @param subscription the viewer
	 */
	void fillLater(LogStreamSubscription subscription) {
		if (subscription.isCatchingUp() && !subscription.isEnding() && this.filling.compareAndSet(false, true)) {
			subscription.execute(() -> fill(subscription));
		}
	}

	/**
	 * Called every keepalive: read again the page that could not be read.
	 * @param subscription the viewer
	 */
	void retry(LogStreamSubscription subscription) {
		if (this.failed) {
			this.failed = false;
			fillLater(subscription);
		}
	}

	private void fill(LogStreamSubscription subscription) {
		try {
			SseConnection connection = subscription.connection();
			while (subscription.isCatchingUp() && connection != null && !connection.isEnding()) {
				if (!connection.hasRoom()) {
					break;
				}
				if (!this.resolved) {
					Position start = this.start.resolve(this.streams, this.channel, this.filter);
					subscription.moveTo(start.after());
					this.resolved = true;
					if (start.trimmedAfter() != null) {
						connection.sendUnbounded(SseFrames.gap(start.trimmedAfter()));
					}
				}
				int count = pageSize(connection.room());
				List<LogStreamEntry> page = this.streams.after(this.channel, subscription.position().toString(), count);
				if (!send(page, connection, subscription)) {
					break;
				}
				if (page.size() < count) {
					subscription.join();
					break;
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
		// Room may have been made after this fill looked, while another fill could not start:
		// every way out of the loop looks again.
		SseConnection connection = subscription.connection();
		if (!this.failed && connection != null && connection.hasRoom() && subscription.isCatchingUp()) {
			fillLater(subscription);
		}
	}

	private int pageSize(long room) {
		return (this.averageFrameBytes > 0) ? (int) Math.max(1, Math.min(MAX_PAGE, room / this.averageFrameBytes))
				: FIRST_PAGE;
	}

	// Moves the viewer's cursor past every entry sent or filtered out; false once the stream ends.
	private boolean send(List<LogStreamEntry> page, SseConnection connection, LogStreamSubscription subscription) {
		long bytes = 0;
		int sent = 0;
		for (LogStreamEntry entry : page) {
			if (this.filter.matches(entry)) {
				byte[] frame = SseFrames.entry(entry);
				bytes += frame.length;
				sent++;
				if (!connection.sendUnbounded(frame)) {
					return false;
				}
			}
			subscription.moveTo(entry.streamId());
		}
		if (sent > 0) {
			this.averageFrameBytes = Math.max(64, bytes / sent);
		}
		return true;
	}

}
