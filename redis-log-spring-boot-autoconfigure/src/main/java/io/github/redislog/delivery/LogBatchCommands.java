package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The commands that deliver a batch, whatever sends them: a {@code SET owner:{channel}
 * {owner} EX {ttl}} per context channel whose owner the batch names, first, so that a
 * reader who sees a job's first line can already tell who may read it; then per record
 * and channel an {@code XADD} and a {@code PUBLISH}; then one {@code EXPIRE} per stream key
 * the batch touched.
 *
 * @author Redis Log contributors
 */
final class LogBatchCommands {

	private final LogChannels channels;

	private final Target global;

	LogBatchCommands(LogChannels channels) {
		this.channels = channels;
		this.global = new Target(channels.global());
	}

	void write(List<LogPayload> batch, RedisLogCommands commands) {
		// A batch holds few contexts: encode each one's keys once, not per record.
		Map<String, Target> contexts = new HashMap<>();
		Map<Target, String> owners = new LinkedHashMap<>();
		for (LogPayload payload : batch) {
			Target context = context(contexts, payload.contextId());
			if (context != null && payload.ownerId() != null) {
				owners.put(context, payload.ownerId());
			}
		}
		owners.forEach((target, owner) -> commands.set(bytes(target.channel().ownerKey()), bytes(owner),
				target.ttlSeconds()));
		Set<Target> touched = new LinkedHashSet<>();
		for (LogPayload payload : batch) {
			Target context = context(contexts, payload.contextId());
			if (context != null) {
				write(commands, context, payload.json());
				touched.add(context);
			}
			write(commands, this.global, payload.json());
			touched.add(this.global);
		}
		for (Target target : touched) {
			commands.expire(target.streamKey(), target.ttlSeconds());
		}
	}

	private @Nullable Target context(Map<String, Target> contexts, @Nullable String contextId) {
		if (contextId == null || contextId.isEmpty()) {
			return null;
		}
		return contexts.computeIfAbsent(contextId, (id) -> new Target(this.channels.context(id)));
	}

	private static void write(RedisLogCommands commands, Target target, byte[] json) {
		commands.xAdd(target.streamKey(), json);
		commands.publish(target.name(), json);
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A channel with its names encoded for the wire. A batch makes one per channel, so
	 * the identity of its arrays is as good as their contents for equality.
	 */
	private record Target(LogChannel channel, byte[] name, byte[] streamKey) {

		Target(LogChannel channel) {
			this(channel, bytes(channel.name()), bytes(channel.streamKey()));
		}

		long ttlSeconds() {
			return this.channel.ttl().toSeconds();
		}

	}

}
