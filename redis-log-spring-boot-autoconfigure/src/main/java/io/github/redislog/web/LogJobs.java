package io.github.redislog.web;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.redislog.servlet.PrincipalContextIdResolver;
import io.github.redislog.wire.LogChannel;
import io.github.redislog.wire.LogChannels;

import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.util.Assert;

/**
 * The jobs whose streams Redis holds, found without {@code KEYS}: a {@code SCAN} over the
 * owner keys ({@code owner:logs:*}) that looks at no more than {@value #MAX_SCANNED} keys,
 * then the owners and the streams' remaining time to live in one pipeline. A stream's time
 * to live is refreshed on every write, so the longest lived is the one written last: jobs
 * are listed in that order, at most {@value #MAX_JOBS}. Only ids that read the same
 * encoded are listed (every id of {@code RedisLogContext.newJobId} does), since an encoded
 * id cannot always be turned back. On a Redis Cluster, whose keys a single {@code SCAN}
 * does not reach, the list is empty.
 *
 * @author Redis Log contributors
 */
final class LogJobs {

	/**
	 * Most owner keys looked at for one list.
	 */
	static final int MAX_SCANNED = 10_000;

	/**
	 * Most jobs listed.
	 */
	static final int MAX_JOBS = 100;

	private final StringRedisTemplate redis;

	private final LogChannels channels;

	private final String ownerKeyPrefix;

	LogJobs(RedisConnectionFactory connectionFactory, LogChannels channels) {
		Assert.notNull(connectionFactory, "'connectionFactory' must not be null");
		Assert.notNull(channels, "'channels' must not be null");
		this.redis = new StringRedisTemplate(connectionFactory);
		this.channels = channels;
		String sample = channels.context("_").ownerKey();
		this.ownerKeyPrefix = sample.substring(0, sample.length() - 1);
	}

	/**
	 * Return the jobs of an owner, or every job.
	 * @param ownerId the raw context id of the owner, or {@code null} for every owner's
	 * @return the jobs, the one written last first
	 */
	List<LogJob> list(@Nullable String ownerId) {
		List<String> ids = scan();
		if (ids.isEmpty()) {
			return List.of();
		}
		List<Object> replies = this.redis.executePipelined((RedisConnection connection) -> {
			for (String id : ids) {
				LogChannel channel = this.channels.context(id);
				connection.stringCommands().get(bytes(channel.ownerKey()));
				connection.keyCommands().pTtl(bytes(channel.streamKey()));
			}
			return null;
		});
		String owner = (ownerId != null) ? this.channels.encode(ownerId) : null;
		List<LogJob> jobs = new ArrayList<>();
		for (int i = 0; i < ids.size(); i++) {
			Object jobOwner = replies.get(2 * i);
			Object ttl = replies.get(2 * i + 1);
			if ((owner == null || owner.equals(jobOwner)) && ttl instanceof Long millis && millis > 0) {
				jobs.add(new LogJob(ids.get(i), millis));
			}
		}
		jobs.sort(Comparator.comparingLong(LogJob::ttlMillis).reversed());
		return (jobs.size() > MAX_JOBS) ? jobs.subList(0, MAX_JOBS) : jobs;
	}

	private List<String> scan() {
		List<String> ids = new ArrayList<>();
		ScanOptions options = ScanOptions.scanOptions().match(this.ownerKeyPrefix + "*").count(1000).build();
		int scanned = 0;
		try (Cursor<String> keys = this.redis.scan(options)) {
			while (keys.hasNext() && scanned++ < MAX_SCANNED) {
				String id = keys.next().substring(this.ownerKeyPrefix.length());
				if (!id.startsWith(PrincipalContextIdResolver.USER_PREFIX) && this.channels.encode(id).equals(id)) {
					ids.add(id);
				}
			}
		}
		return ids;
	}

	private static byte[] bytes(String key) {
		return key.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A job with a stream.
	 *
	 * @param id the job's context id
	 * @param ttlMillis how long its stream lives without another write
	 */
	record LogJob(String id, long ttlMillis) {

	}

}
