package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStringCommands.SetOption;
import org.springframework.data.redis.connection.RedisStreamCommands.XAddOptions;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.data.redis.core.types.Expiration;

/**
 * Writes a batch in one pipeline: per record and channel an
 * {@code XADD stream:{channel} MAXLEN ~ {max-length} * data {json}} and a
 * {@code PUBLISH {channel} {json}}, then one {@code EXPIRE} per stream key the batch
 * touched, and a {@code SET owner:{channel} {owner} EX {ttl}} per context channel whose
 * owner the batch names. No {@code PING}, no transaction.
 *
 * @author Redis Log contributors
 */
public final class PipelinedRedisLogPublisher implements RedisLogPublisher {

	private static final byte[] DATA_FIELD = "data".getBytes(StandardCharsets.UTF_8);

	private final RedisOperations<?, ?> redis;

	private final LogChannels channels;

	private final XAddOptions xAddOptions;

	public PipelinedRedisLogPublisher(RedisOperations<?, ?> redis, LogChannels channels, long streamMaxLength) {
		this.redis = redis;
		this.channels = channels;
		this.xAddOptions = XAddOptions.maxlen(streamMaxLength).approximateTrimming(true);
	}

	@Override
	public void publish(List<LogPayload> batch) {
		this.redis.executePipelined((RedisCallback<?>) (connection) -> {
			write(connection, batch);
			return null;
		});
	}

	private void write(RedisConnection connection, List<LogPayload> batch) {
		Map<String, LogChannel> touched = new LinkedHashMap<>();
		Map<LogChannel, String> owners = new LinkedHashMap<>();
		for (LogPayload payload : batch) {
			for (LogChannel channel : this.channels.route(payload.contextId())) {
				byte[] streamKey = bytes(channel.streamKey());
				connection.streamCommands()
					.xAdd(StreamRecords.rawBytes(Map.of(DATA_FIELD, payload.json())).withStreamKey(streamKey),
							this.xAddOptions);
				connection.publish(bytes(channel.name()), payload.json());
				touched.putIfAbsent(channel.streamKey(), channel);
				if (payload.ownerId() != null && !channel.equals(this.channels.global())) {
					owners.put(channel, payload.ownerId());
				}
			}
		}
		for (LogChannel channel : touched.values()) {
			connection.keyCommands().expire(bytes(channel.streamKey()), channel.ttl().toSeconds());
		}
		owners.forEach((channel, owner) -> connection.stringCommands()
			.set(bytes(channel.ownerKey()), bytes(owner), Expiration.from(channel.ttl()), SetOption.upsert()));
	}

	private static byte[] bytes(String name) {
		return name.getBytes(StandardCharsets.UTF_8);
	}

}
