package io.github.redislog.writer;

import org.jspecify.annotations.Nullable;

/**
 * A record ready to be written to Redis: its payload and the context that routes it.
 *
 * @param contextId the raw context id of the record, or {@code null}
 * @param ownerId the raw id of the context's owner, or {@code null}
 * @param json the payload
 * @author Redis Log contributors
 */
public record LogPayload(@Nullable String contextId, @Nullable String ownerId, byte[] json) {

}
