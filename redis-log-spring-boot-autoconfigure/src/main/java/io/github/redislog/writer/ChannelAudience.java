package io.github.redislog.writer;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which channels have subscribers, for {@link io.github.redislog.wire.PubSubMode#AUTO}, as
 * the replies to {@code PUBLISH} tell: the number of clients that received the message. A
 * channel is published to until a reply says that nobody listens; then one record is
 * published at most every {@link #RECHECK_INTERVAL} to find out whether somebody does
 * again. A channel the replies never told about, because its publisher does not read them,
 * is always published to.
 * <p>
 * Remembers at most {@value #MAX_CHANNELS} channels, the most recently written; a channel
 * forgotten is published to until its replies tell again. Used by the worker thread only.
 *
 * @author Redis Log contributors
 */
final class ChannelAudience {

	/**
	 * How long a channel without subscribers goes unpublished before a record is published
	 * to it again to find out.
	 */
	static final Duration RECHECK_INTERVAL = Duration.ofSeconds(1);

	static final int MAX_CHANNELS = 10_000;

	private final Map<String, Silence> silentChannels = new LinkedHashMap<>(16, 0.75f, true) {

		@Override
		protected boolean removeEldestEntry(Map.Entry<String, Silence> eldest) {
			return size() > MAX_CHANNELS;
		}

	};

	/**
	 * Return whether to publish a record to a channel, counting a recheck of a silent
	 * channel as done.
	 * @param channel the channel's name
	 * @param now the current {@link System#nanoTime()}
	 * @return whether to publish
	 */
	boolean shouldPublish(String channel, long now) {
		Silence silence = this.silentChannels.get(channel);
		if (silence == null) {
			return true;
		}
		if (now - silence.recheckAt < 0) {
			return false;
		}
		silence.recheckAt = now + RECHECK_INTERVAL.toNanos();
		return true;
	}

	/**
	 * Take the reply to a {@code PUBLISH}.
	 * @param channel the channel's name
	 * @param receivers how many clients received the message
	 * @param now the current {@link System#nanoTime()}
	 */
	void heard(String channel, long receivers, long now) {
		if (receivers > 0) {
			this.silentChannels.remove(channel);
		}
		else if (!this.silentChannels.containsKey(channel)) {
			this.silentChannels.put(channel, new Silence(now + RECHECK_INTERVAL.toNanos()));
		}
	}

	/**
	 * When a silent channel is due to be published to again.
	 */
	private static final class Silence {

		private long recheckAt;

		Silence(long recheckAt) {
			this.recheckAt = recheckAt;
		}

	}

}
