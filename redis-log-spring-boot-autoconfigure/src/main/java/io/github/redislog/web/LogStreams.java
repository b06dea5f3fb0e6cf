package io.github.redislog.web;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import io.github.redislog.wire.LogChannel;
import io.github.redislog.wire.LogChannels;

import org.jspecify.annotations.Nullable;

import org.springframework.data.domain.Range;
import org.springframework.data.domain.Range.Bound;
import org.springframework.data.redis.connection.Limit;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * Reads and purges the log streams the starter writes: the replay side of the live view,
 * and the Java API to remove the stream of a job that has finished.
 *
 * <pre class="code">
 * logStreams.purge(jobId); // deletes stream:logs:{jobId}, keeps owner:logs:{jobId} for its TTL
 * </pre>
 *
 * Context ids are always turned into keys by {@link LogChannels}, so user-supplied text
 * cannot reach another context's keys.
 *
 * @author Redis Log contributors
 */
public final class LogStreams {

	/**
	 * Most entries looked at to find the last ones that pass a filter.
	 */
	static final int MAX_FILTERED_SCAN = 10_000;

	private static final int BACKWARD_PAGE = 100;

	private final StringRedisTemplate redis;

	private final LogChannels channels;

	public LogStreams(RedisConnectionFactory connectionFactory, LogChannels channels) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(channels, "'channels' must not be null");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.channels = channels;
	}

	/**
	 * Return the channel of a context, or the global channel.
	 * @param contextId the raw context id, or {@code null} for the global channel
	 * @return the channel
	 */
	public LogChannel channel(@Nullable String contextId) {
		return (contextId != null) ? this.channels.context(contextId) : this.channels.global();
	}

	/**
	 * Return the last entries of a stream, oldest first.
	 * @param channel the channel
	 * @param count how many entries at most
	 * @return the entries, empty when the stream does not exist
	 */
	public List<LogStreamEntry> last(LogChannel channel, int count) {
		if (count <= 0) {
			return List.of();
		}
		List<LogStreamEntry> entries = entries(this.redis.opsForStream()
			.reverseRange(channel.streamKey(), Range.unbounded(), Limit.limit().count(count)));
		Collections.reverse(entries);
		return entries;
	}

	/**
	 * Return the entries of a stream that come after an id, oldest first.
	 * @param channel the channel
	 * @param id the id to read after (exclusive)
	 * @param count how many entries at most
	 * @return the entries, empty when the stream does not exist
	 */
	public List<LogStreamEntry> after(LogChannel channel, String id, int count) {
		Assert.isTrue(StreamIds.isValid(id), () -> "'" + id + "' is not a stream entry id");
		if (count <= 0) {
			return List.of();
		}
		return entries(this.redis.opsForStream()
			.range(channel.streamKey(), Range.of(Bound.exclusive(id), Bound.unbounded()),
					Limit.limit().count(count)));
	}

	/**
	 * Return the id that the last entries of a stream come after: reading
	 * {@link #after(LogChannel, String, int) after} it starts with those entries. The
	 * stream is read backwards in pages, so that only one page is held at a time.
	 * @param channel the channel
	 * @param count how many of the last entries
	 * @return the id before the first of them, or {@code 0-0} when the stream has no more
	 * than {@code count} entries
	 */
	public String before(LogChannel channel, int count) {
		return before(channel, count, LogStreamFilter.NONE);
	}

	/**
	 * Return the id that the last entries of a stream that pass a filter come after,
	 * looking back at most {@value #MAX_FILTERED_SCAN} entries.
	 * @param channel the channel
	 * @param count how many of the last entries that pass
	 * @param filter which entries count
	 * @return the id before the first of them, or {@code 0-0} when the stream has fewer
	 */
	String before(LogChannel channel, int count, LogStreamFilter filter) {
		if (count <= 0) {
			String last = lastId(channel);
			return (last != null) ? last : StreamIds.ZERO;
		}
		Bound<String> upper = Bound.unbounded();
		int remaining = count;
		int scanned = 0;
		while (true) {
			int page = filter.passesAll() ? Math.min(remaining, BACKWARD_PAGE) : BACKWARD_PAGE;
			List<LogStreamEntry> entries = entries(this.redis.opsForStream()
				.reverseRange(channel.streamKey(), Range.of(Bound.unbounded(), upper), Limit.limit().count(page)));
			for (LogStreamEntry entry : entries) {
				if (filter.matches(entry) && --remaining == 0) {
					return StreamIds.before(entry.id());
				}
			}
			scanned += entries.size();
			if (entries.size() < page) {
				return StreamIds.ZERO;
			}
			String oldest = entries.get(entries.size() - 1).id();
			if (scanned >= MAX_FILTERED_SCAN) {
				return StreamIds.before(oldest);
			}
			upper = Bound.exclusive(oldest);
		}
	}

	/**
	 * Return the id of the first entry of a stream.
	 * @param channel the channel
	 * @return the id, or {@code null} when the stream is empty or does not exist
	 */
	public @Nullable String firstId(LogChannel channel) {
		List<LogStreamEntry> first = entries(this.redis.opsForStream()
			.range(channel.streamKey(), Range.unbounded(), Limit.limit().count(1)));
		return first.isEmpty() ? null : first.get(0).id();
	}

	/**
	 * Return the id of the last entry of a stream.
	 * @param channel the channel
	 * @return the id, or {@code null} when the stream is empty or does not exist
	 */
	public @Nullable String lastId(LogChannel channel) {
		List<LogStreamEntry> last = last(channel, 1);
		return last.isEmpty() ? null : last.get(0).id();
	}

	/**
	 * Return the owner of a context as stored: the context that was active when its first
	 * scope was opened, typically {@code User.{name}} of the user who started a job,
	 * encoded like a channel name.
	 * @param contextId the raw context id
	 * @return the owner's encoded context id, or {@code null} when the context has none
	 * @see #isOwnedBy(String, String)
	 */
	public @Nullable String owner(String contextId) {
		return this.redis.opsForValue().get(this.channels.context(contextId).ownerKey());
	}

	/**
	 * Return whether a context is owned by another: owners are stored encoded, which is
	 * injective, so no other id, look-alike or lossy, matches.
	 * @param contextId the raw context id
	 * @param ownerId the raw context id of the would-be owner
	 * @return whether the context's owner key names {@code ownerId}
	 */
	public boolean isOwnedBy(String contextId, String ownerId) {
		return this.channels.encode(ownerId).equals(owner(contextId));
	}

	/**
	 * Return whether a context has a stream or an owner in Redis.
	 * @param contextId the raw context id
	 * @return whether Redis knows the context
	 */
	public boolean exists(String contextId) {
		LogChannel channel = this.channels.context(contextId);
		Long count = this.redis.countExistingKeys(List.of(channel.streamKey(), channel.ownerKey()));
		return count != null && count > 0;
	}

	/**
	 * Delete a context's stream, for example when a job has finished and its lines are no
	 * longer wanted; records logged in the context afterwards start a new stream. Who owns
	 * the context stays, for as long as its stream could live: nobody who learned the id can
	 * take it over by writing into it after the purge.
	 * @param contextId the raw context id
	 * @return whether there was a stream to delete
	 */
	public boolean purge(String contextId) {
		LogChannel channel = this.channels.context(contextId);
		Boolean deleted = this.redis.delete(channel.streamKey());
		this.redis.expire(channel.ownerKey(), channel.ttl());
		return Boolean.TRUE.equals(deleted);
	}

	private static List<LogStreamEntry> entries(@Nullable List<MapRecord<String, Object, Object>> records) {
		if (records == null) {
			return new ArrayList<>();
		}
		List<LogStreamEntry> entries = new ArrayList<>(records.size());
		for (MapRecord<String, Object, Object> record : records) {
			entries.add(new LogStreamEntry(record.getId().getValue(), data(record.getValue())));
		}
		return entries;
	}

	private static String data(Map<Object, Object> fields) {
		Object data = fields.get(LogChannel.PAYLOAD_FIELD);
		return (data != null) ? data.toString() : "";
	}

}
