package io.github.redislog.wire;

/**
 * How records reach live subscribers besides their streams.
 *
 * @author Redis Log contributors
 */
public enum PubSubMode {

	/**
	 * {@code PUBLISH} to each channel, the reference's contract: subscribers use
	 * {@code SUBSCRIBE}. On a Redis Cluster every message is broadcast to every node.
	 */
	CLASSIC,

	/**
	 * {@code SPUBLISH} to each channel (Redis 7): subscribers use {@code SSUBSCRIBE}. On a
	 * Redis Cluster a message stays on the shard of its channel's slot.
	 */
	SHARDED,

	/**
	 * {@code PUBLISH} like {@link #CLASSIC}, but only to channels that have subscribers:
	 * each {@code PUBLISH} replies how many clients received it, and a channel that had none
	 * gets one record published again at most once a second to find out whether that
	 * changed. A subscriber misses at most about the first second after it subscribes,
	 * which the channel's stream still holds. On a Redis Cluster, where a {@code PUBLISH}
	 * counts only the subscribers of the node it reached, every record is published.
	 */
	AUTO,

	/**
	 * No pub/sub: records go to their streams only, which the live view reads.
	 */
	OFF

}
