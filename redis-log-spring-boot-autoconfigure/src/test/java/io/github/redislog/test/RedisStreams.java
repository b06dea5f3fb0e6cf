package io.github.redislog.test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Reads what the starter wrote to Redis, for assertions.
 *
 * @author Redis Log contributors
 */
public final class RedisStreams {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	// The logger of the notes about dropped records.
	private static final String NOTE_LOGGER = "io.github.redislog";

	private final StringRedisTemplate redis;

	public RedisStreams(StringRedisTemplate redis) {
		this.redis = redis;
	}

	/**
	 * Return the payloads of a stream's entries, oldest first.
	 * @param streamKey the stream key
	 * @return the parsed {@code data} field of each entry
	 */
	@SuppressWarnings("unchecked")
	public List<Map<String, Object>> payloads(String streamKey) {
		List<MapRecord<String, Object, Object>> entries = this.redis.opsForStream().range(streamKey, Range.unbounded());
		return entries.stream()
			.map((entry) -> (Map<String, Object>) JSON.readValue((String) entry.getValue().get("data"), Map.class))
			.toList();
	}

	/**
	 * Return the payloads of a stream's entries whose message contains a text, oldest
	 * first: a test's own records, marked with a token of its run, among those of other
	 * tests sharing the stream.
	 * @param streamKey the stream key
	 * @param text the text, typically the run's token
	 * @return the parsed {@code data} field of each entry whose message ({@code message}, or
	 * GELF's {@code short_message}) contains it
	 */
	public List<Map<String, Object>> payloadsMentioning(String streamKey, String text) {
		return payloads(streamKey).stream()
			.filter((payload) -> String.valueOf(payload.getOrDefault("message", payload.get("short_message")))
				.contains(text))
			.toList();
	}

	/**
	 * Return the messages of a stream's entries, oldest first.
	 * @param streamKey the stream key
	 * @return the {@code message} field of each entry
	 */
	public List<String> messages(String streamKey) {
		return payloads(streamKey).stream().map((payload) -> (String) payload.get("message")).toList();
	}

	/**
	 * Return the messages of a stream's entries that the application logged, oldest first:
	 * without the starter's notes about dropped records.
	 * @param streamKey the stream key
	 * @return the {@code message} field of each entry not logged by the starter
	 */
	public List<String> recordMessages(String streamKey) {
		return payloads(streamKey).stream()
			.filter((payload) -> !NOTE_LOGGER.equals(payload.get("logger")))
			.map((payload) -> (String) payload.get("message"))
			.toList();
	}

	/**
	 * Return the keys that match a pattern, found with {@code SCAN}.
	 * @param pattern the pattern
	 * @return the keys
	 */
	public Set<String> keys(String pattern) {
		try (var cursor = this.redis.scan(ScanOptions.scanOptions().match(pattern).count(1000).build())) {
			return cursor.stream().collect(java.util.stream.Collectors.toSet());
		}
	}

}
