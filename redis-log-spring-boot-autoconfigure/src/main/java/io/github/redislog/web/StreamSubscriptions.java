package io.github.redislog.web;

import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import io.github.redislog.web.LogStreamLimits.Permit;

/**
 * The event streams open now: each is added when it opens and forgotten when it ends,
 * giving its place among the limits back and counted by why it ended.
 *
 * @author Redis Log contributors
 */
final class StreamSubscriptions implements Iterable<LogStreamSubscription> {

	private final Set<LogStreamSubscription> subscriptions = ConcurrentHashMap.newKeySet();

	private final Map<StreamEnd, LongAdder> ends = new EnumMap<>(StreamEnd.class);

	StreamSubscriptions() {
		for (StreamEnd end : StreamEnd.values()) {
			this.ends.put(end, new LongAdder());
		}
	}

	/**
	 * Add a stream that opens.
	 * @param subscription its viewer
	 */
	void add(LogStreamSubscription subscription) {
		this.subscriptions.add(subscription);
	}

	/**
	 * Forget a stream that has ended.
	 * @param subscription its viewer
	 * @param reason why it ended
	 * @param permit its place among the limits, given back
	 */
	void ended(LogStreamSubscription subscription, StreamEnd reason, Permit permit) {
		this.subscriptions.remove(subscription);
		permit.release();
		this.ends.get(reason).increment();
	}

	/**
	 * End every stream.
	 * @param reason why
	 */
	void endAll(StreamEnd reason) {
		this.subscriptions.forEach((subscription) -> subscription.end(reason));
	}

	/**
	 * End the streams opened in an HTTP session.
	 * @param sessionId the session's id
	 * @param reason why
	 */
	void endSession(String sessionId, StreamEnd reason) {
		for (LogStreamSubscription subscription : this.subscriptions) {
			if (sessionId.equals(subscription.sessionId())) {
				subscription.end(reason);
			}
		}
	}

	int count() {
		return this.subscriptions.size();
	}

	long bufferedBytes() {
		long bytes = 0;
		for (LogStreamSubscription subscription : this.subscriptions) {
			bytes += subscription.bufferedBytes();
		}
		return bytes;
	}

	long endCount(StreamEnd reason) {
		return this.ends.get(reason).sum();
	}

	@Override
	public Iterator<LogStreamSubscription> iterator() {
		return this.subscriptions.iterator();
	}

}
