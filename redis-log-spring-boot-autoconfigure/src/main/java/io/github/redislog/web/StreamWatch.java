package io.github.redislog.web;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The shared reader's state for one stream that live viewers watch: its cursor, its
 * viewers, and the entries it read last. A viewer that joins a little behind the cursor,
 * as one joining a busy stream always is, is sent those entries and goes live at once,
 * instead of catching up with another range read that the stream outruns again. Touched
 * by the reader thread only.
 *
 * @author Redis Log contributors
 */
final class StreamWatch {

	/**
	 * Most entries kept for joining viewers.
	 */
	static final int RECENT_ENTRIES = 512;

	/**
	 * Most data kept for joining viewers.
	 */
	static final long RECENT_BYTES = 256 * 1024;

	private final Set<LogStreamSubscription> subscriptions = new LinkedHashSet<>();

	private final Deque<Recent> recent = new ArrayDeque<>();

	private long recentBytes;

	// The id of the last entry read from the stream.
	private StreamId cursor;

	// The id before the oldest entry kept: every entry after it is kept.
	private StreamId keptAfter;

	StreamWatch(StreamId cursor) {
		this.cursor = cursor;
		this.keptAfter = cursor;
	}

	StreamId cursor() {
		return this.cursor;
	}

	Set<LogStreamSubscription> subscriptions() {
		return this.subscriptions;
	}

	/**
	 * Take a viewer live if every entry after its position is at hand, sending it those
	 * it has not had yet.
	 * @param subscription the joining viewer
	 * @return whether it is live; if not, it catches up from Redis first
	 */
	boolean join(LogStreamSubscription subscription) {
		if (subscription.position().compareTo(this.keptAfter) < 0) {
			subscription.catchUp();
			return false;
		}
		subscription.followLive();
		for (Recent entry : this.recent) {
			subscription.live(entry.entry(), entry.frame());
		}
		this.subscriptions.add(subscription);
		return true;
	}

	/**
	 * Hand an entry the reader read to the viewers, and keep it for those that join.
	 * @param entry the entry
	 */
	void read(LogStreamEntry entry) {
		byte[] frame = SseFrames.entry(entry);
		this.cursor = entry.streamId();
		for (LogStreamSubscription subscription : this.subscriptions) {
			subscription.live(entry, frame);
		}
		this.recent.addLast(new Recent(entry, frame));
		this.recentBytes += frame.length;
		while (this.recent.size() > RECENT_ENTRIES || this.recentBytes > RECENT_BYTES) {
			Recent oldest = this.recent.removeFirst();
			this.recentBytes -= oldest.frame().length;
			this.keptAfter = oldest.entry().streamId();
		}
	}

	/**
	 * Forget the viewers that have gone.
	 * @return whether nobody watches the stream any more
	 */
	boolean prune() {
		this.subscriptions.removeIf(LogStreamSubscription::isEnding);
		return this.subscriptions.isEmpty();
	}

	private record Recent(LogStreamEntry entry, byte[] frame) {

	}

}
