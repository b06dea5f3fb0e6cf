package io.github.redislog.wire;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Names the channels of the wire contract and routes records to them: a record with a
 * context goes to {@code {prefix}:{encoded context}} and the global channel, a record
 * without one to the global channel only.
 *
 * @author Redis Log contributors
 * @see ContextIdEncoder
 */
public final class LogChannels {

	private static final String STREAM_KEY_PREFIX = "stream:";

	private final String channelPrefix;

	private final ContextIdEncoder encoder;

	private final Duration contextTtl;

	private final LogChannel global;

	private final PubSubMode pubSubMode;

	public LogChannels(String channelPrefix, String globalName, Duration contextTtl, Duration globalTtl) {
		this(channelPrefix, globalName, contextTtl, globalTtl, PubSubMode.CLASSIC);
	}

	public LogChannels(String channelPrefix, String globalName, Duration contextTtl, Duration globalTtl,
			PubSubMode pubSubMode) {
		this.channelPrefix = channelPrefix + ":";
		this.encoder = new ContextIdEncoder(globalName);
		this.contextTtl = contextTtl;
		this.global = channel(this.channelPrefix + globalName, globalTtl);
		this.pubSubMode = pubSubMode;
	}

	/**
	 * Return how records reach live subscribers of the channels.
	 * @return the pub/sub mode
	 */
	public PubSubMode pubSubMode() {
		return this.pubSubMode;
	}

	/**
	 * Return the channels a record logged in the given context goes to.
	 * @param contextId the record's context id, or {@code null}
	 * @return the context's channel (if any) and the global channel
	 */
	public List<LogChannel> route(@Nullable String contextId) {
		if (contextId == null || contextId.isEmpty()) {
			return List.of(this.global);
		}
		return List.of(context(contextId), this.global);
	}

	/**
	 * Return the channel of a context.
	 * @param contextId the raw context id, not empty
	 * @return the context's channel
	 */
	public LogChannel context(String contextId) {
		return channel(this.channelPrefix + this.encoder.encode(contextId), this.contextTtl);
	}

	/**
	 * Return a context id as it appears in channel names and owner keys: encoded so that
	 * no id can be mistaken for another, a glob pattern or the global channel.
	 * @param contextId the raw context id, not empty
	 * @return the encoded id
	 * @see ContextIdEncoder
	 */
	public String encode(String contextId) {
		return this.encoder.encode(contextId);
	}

	/**
	 * Return the global channel.
	 * @return the channel every record goes to
	 */
	public LogChannel global() {
		return this.global;
	}

	private static LogChannel channel(String name, Duration ttl) {
		return new LogChannel(name, STREAM_KEY_PREFIX + name, ttl);
	}

}
