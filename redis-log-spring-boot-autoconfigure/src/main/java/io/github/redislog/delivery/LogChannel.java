package io.github.redislog.delivery;

import java.time.Duration;

/**
 * A channel a record is delivered to: {@code PUBLISH} to {@link #name()} and {@code XADD}
 * to {@link #streamKey()}, which expires {@link #ttl()} after its last write.
 *
 * @param name the pub/sub channel, for example {@code logs:global}
 * @param streamKey the stream key, for example {@code stream:logs:global}
 * @param ttl how long the stream lives after its last write
 * @author Redis Log contributors
 */
public record LogChannel(String name, String streamKey, Duration ttl) {

}
