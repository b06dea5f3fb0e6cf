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
	 * No pub/sub: records go to their streams only, which the live view reads.
	 */
	OFF

}
