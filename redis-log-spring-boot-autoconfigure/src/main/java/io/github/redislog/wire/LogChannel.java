package io.github.redislog.wire;

import java.time.Duration;

/**
 * A channel a record is delivered to: {@code PUBLISH} to {@link #name()} and {@code XADD}
 * to {@link #streamKey()} (field {@value #PAYLOAD_FIELD}), which expires {@link #ttl()} after its last write. The owner of
 * a context's channel (the user who started a job) is kept at {@link #ownerKey()} for as
 * long as the stream.
 *
 * @param name the pub/sub channel, for example {@code logs:global}
 * @param streamKey the stream key, for example {@code stream:logs:global}
 * @param ttl how long the stream lives after its last write
 * @author Redis Log contributors
 */
public record LogChannel(String name, String streamKey, Duration ttl) {

	/**
	 * The one field of a stream entry, which holds the record's JSON payload.
	 */
	public static final String PAYLOAD_FIELD = "data";

	/**
	 * Return the key that holds the id of the context that owns this channel.
	 * @return the owner key, for example {@code owner:logs:task_3f0c...}
	 */
	public String ownerKey() {
		return "owner:" + this.name;
	}

}
