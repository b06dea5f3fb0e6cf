package io.github.redislog.web;

import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

/**
 * Where a viewer starts, resolved against Redis on its first read.
 *
 * @param afterId the id to resume after (one after the stream's last entry counts as the
 * last entry), or {@code null} to start with the last entries
 * @param tail how many of the last entries, when there is no id
 * @author Redis Log contributors
 */
record StreamStart(@Nullable String afterId, int tail) {

	/**
	 * Resolve the start against the stream as it is now.
	 * @param streams reads the stream
	 * @param channel the stream's channel
	 * @param filter which entries the tail counts
	 * @return the position the viewer reads after
	 */
	Position resolve(LogStreams streams, LogChannel channel, LogStreamFilter filter) {
		if (this.afterId == null) {
			return new Position(StreamId.parse(streams.before(channel, this.tail, filter)), null);
		}
		// A cursor after the stream's last entry is taken back to it: the viewer gets what comes next.
		String last = streams.lastId(channel);
		StreamId after = StreamId.parse((last != null) ? StreamIds.min(this.afterId, last) : StreamIds.ZERO);
		return new Position(after, isTrimmedAfter(streams, channel, this.afterId) ? this.afterId : null);
	}

	// The entry a viewer resumes after is gone from the stream (trimmed to its MAXLEN, or the
	// stream expired): entries that came after it may be gone too.
	private static boolean isTrimmedAfter(LogStreams streams, LogChannel channel, String afterId) {
		if (afterId.equals(StreamIds.ZERO)) {
			return false;
		}
		String first = streams.firstId(channel);
		return first == null || StreamIds.compare(first, afterId) > 0;
	}

	/**
	 * A resolved start.
	 *
	 * @param after the id the viewer reads after
	 * @param trimmedAfter the id the viewer resumed after when the stream no longer reaches
	 * back to it, otherwise {@code null}
	 */
	record Position(StreamId after, @Nullable String trimmedAfter) {

	}

}
