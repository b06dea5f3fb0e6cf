package io.github.redislog.writer;

/**
 * The commands a batch is delivered with, as a publisher sends them: into a pipeline or a
 * buffer of the wire protocol. {@link LogBatch} decides which and in what order.
 *
 * @author Redis Log contributors
 */
public interface RedisLogCommands {

	/**
	 * {@code SET {key} {value} NX EX {ttl}}: only if the key does not exist.
	 * @param key the key
	 * @param value the value
	 * @param ttlSeconds the time to live in seconds
	 */
	void setIfAbsent(byte[] key, byte[] value, long ttlSeconds);

	/**
	 * {@code XADD {streamKey} MAXLEN ~ {max-length} * data {json}}.
	 * @param streamKey the stream key
	 * @param json the payload
	 */
	void xAdd(byte[] streamKey, byte[] json);

	/**
	 * {@code PUBLISH {channel} {json}}.
	 * @param channel the channel
	 * @param json the payload
	 */
	void publish(byte[] channel, byte[] json);

	/**
	 * {@code SPUBLISH {channel} {json}}: sharded pub/sub, Redis 7.
	 * @param channel the shard channel
	 * @param json the payload
	 */
	void sPublish(byte[] channel, byte[] json);

	/**
	 * {@code EXPIRE {key} {ttl}}.
	 * @param key the key
	 * @param ttlSeconds the time to live in seconds
	 */
	void expire(byte[] key, long ttlSeconds);

}
