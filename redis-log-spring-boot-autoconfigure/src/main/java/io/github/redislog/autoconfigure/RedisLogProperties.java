package io.github.redislog.autoconfigure;

import java.time.Duration;

import io.github.redislog.wire.ContextIdEncoder;
import io.github.redislog.wire.PubSubMode;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for streaming log records to Redis.
 *
 * @author Redis Log contributors
 */
@ConfigurationProperties("redis-log")
public class RedisLogProperties {

	/**
	 * The payload format of the reference handler, the wire contract's default.
	 */
	public static final String REFERENCE_FORMAT = "reference";

	/**
	 * Whether to stream log records to Redis.
	 */
	private boolean enabled = true;

	/**
	 * Prefix of channel names: a context's records go to '{channel-prefix}:{context}'.
	 */
	private String channelPrefix = "logs";

	/**
	 * Name, after the prefix, of the channel that every record goes to.
	 */
	private String globalChannel = "global";

	/**
	 * Most records written to Redis in one pipeline.
	 */
	private int batchSize = 100;

	/**
	 * Whether to deliver over connections of the starter's own that send each batch in one
	 * write per Redis, when the application's Lettuce connection factory reaches one
	 * standalone Redis or a Redis Cluster (one connection per master) without TLS or a
	 * credentials provider. Otherwise, or when false, batches go through Spring Data Redis.
	 */
	private boolean directConnection = true;

	/**
	 * Longest time the worker waits for more records to fill a batch.
	 */
	private Duration flushInterval = Duration.ofMillis(5);

	/**
	 * Most records waiting for delivery; records beyond it are dropped and counted.
	 */
	private int queueCapacity = 10_000;

	/**
	 * Most memory, estimated, that records waiting for delivery may hold; records beyond it
	 * are dropped and counted.
	 */
	private DataSize queueMaxBytes = DataSize.ofMegabytes(32);

	/**
	 * Longest message, and stack trace, kept (in characters); longer ones are truncated
	 * with a visible marker.
	 */
	private DataSize maxMessageSize = DataSize.ofKilobytes(64);

	/**
	 * Longest time to deliver the records still queued at shutdown.
	 */
	private Duration shutdownTimeout = Duration.ofSeconds(10);

	/**
	 * Payload format: 'reference' (the reference handler's JSON, its 'message' laid out by
	 * 'pattern'), one of Spring Boot's structured logging formats 'ecs', 'logstash' or
	 * 'gelf' (as 'logging.structured.*' configures them), or the class name of a
	 * StructuredLogFormatter.
	 */
	private String format = REFERENCE_FORMAT;

	/**
	 * Logback or Log4j2 pattern of the 'message' field of the 'reference' format. Defaults
	 * to 'logging.pattern.file', or to Spring Boot's file log pattern when that is not set.
	 */
	private @Nullable String pattern;

	/**
	 * How records reach live subscribers besides their streams: 'classic' (PUBLISH, the
	 * reference's contract), 'auto' (PUBLISH only to channels that have subscribers, so a
	 * new subscriber may miss up to about its first second), 'sharded' (SPUBLISH, Redis 7:
	 * on a cluster a message stays on the shard of its channel) or 'off' (streams only).
	 */
	private PubSubMode pubsub = PubSubMode.CLASSIC;

	private final Stream stream = new Stream();

	private final Filter filter = new Filter();

	private final Health health = new Health();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getChannelPrefix() {
		return this.channelPrefix;
	}

	public void setChannelPrefix(String channelPrefix) {
		Assert.isTrue(!channelPrefix.isEmpty() && channelPrefix.chars().noneMatch((c) -> "*?[]\\ ".indexOf(c) >= 0),
				"must be non-empty and free of glob characters (* ? [ ] \\) and spaces");
		this.channelPrefix = channelPrefix;
	}

	public String getGlobalChannel() {
		return this.globalChannel;
	}

	public void setGlobalChannel(String globalChannel) {
		Assert.isTrue(ContextIdEncoder.isSafe(globalChannel), "must be non-empty and made of A-Z a-z 0-9 . _ @ -");
		this.globalChannel = globalChannel;
	}

	public boolean isDirectConnection() {
		return this.directConnection;
	}

	public void setDirectConnection(boolean directConnection) {
		this.directConnection = directConnection;
	}

	public int getBatchSize() {
		return this.batchSize;
	}

	public void setBatchSize(int batchSize) {
		Assert.isTrue(batchSize > 0, "must be positive");
		this.batchSize = batchSize;
	}

	public Duration getFlushInterval() {
		return this.flushInterval;
	}

	public void setFlushInterval(Duration flushInterval) {
		Assert.isTrue(!flushInterval.isNegative(), "must not be negative");
		this.flushInterval = flushInterval;
	}

	public int getQueueCapacity() {
		return this.queueCapacity;
	}

	public void setQueueCapacity(int queueCapacity) {
		Assert.isTrue(queueCapacity > 0, "must be positive");
		this.queueCapacity = queueCapacity;
	}

	public DataSize getQueueMaxBytes() {
		return this.queueMaxBytes;
	}

	public void setQueueMaxBytes(DataSize queueMaxBytes) {
		Assert.isTrue(queueMaxBytes.toBytes() > 0, "must be positive");
		this.queueMaxBytes = queueMaxBytes;
	}

	public DataSize getMaxMessageSize() {
		return this.maxMessageSize;
	}

	public void setMaxMessageSize(DataSize maxMessageSize) {
		Assert.isTrue(maxMessageSize.toBytes() > 0 && maxMessageSize.toBytes() <= Integer.MAX_VALUE,
				"must be positive and at most 2GB");
		this.maxMessageSize = maxMessageSize;
	}

	public Duration getShutdownTimeout() {
		return this.shutdownTimeout;
	}

	public void setShutdownTimeout(Duration shutdownTimeout) {
		Assert.isTrue(!shutdownTimeout.isNegative(), "must not be negative");
		this.shutdownTimeout = shutdownTimeout;
	}

	public String getFormat() {
		return this.format;
	}

	public void setFormat(String format) {
		Assert.hasText(format, "must not be empty");
		this.format = format;
	}

	public @Nullable String getPattern() {
		return this.pattern;
	}

	public void setPattern(@Nullable String pattern) {
		Assert.isTrue(pattern == null || !pattern.isEmpty(), "must not be empty");
		this.pattern = pattern;
	}

	public PubSubMode getPubsub() {
		return this.pubsub;
	}

	public void setPubsub(PubSubMode pubsub) {
		this.pubsub = pubsub;
	}

	public Stream getStream() {
		return this.stream;
	}

	public Filter getFilter() {
		return this.filter;
	}

	public Health getHealth() {
		return this.health;
	}

	public static class Stream {

		/**
		 * Approximate number of entries each stream keeps ('XADD ... MAXLEN ~').
		 */
		private long maxLength = 1000;

		/**
		 * Time to live of a user's or a job's stream, renewed on every write.
		 */
		private Duration contextTtl = Duration.ofHours(1);

		/**
		 * Time to live of the global stream, renewed on every write.
		 */
		private Duration globalTtl = Duration.ofHours(24);

		public long getMaxLength() {
			return this.maxLength;
		}

		public void setMaxLength(long maxLength) {
			Assert.isTrue(maxLength > 0, "must be positive");
			this.maxLength = maxLength;
		}

		public Duration getContextTtl() {
			return this.contextTtl;
		}

		public void setContextTtl(Duration contextTtl) {
			Assert.isTrue(contextTtl.toSeconds() > 0, "must be at least one second");
			this.contextTtl = contextTtl;
		}

		public Duration getGlobalTtl() {
			return this.globalTtl;
		}

		public void setGlobalTtl(Duration globalTtl) {
			Assert.isTrue(globalTtl.toSeconds() > 0, "must be at least one second");
			this.globalTtl = globalTtl;
		}

	}

	public static class Filter {

		/**
		 * Whether to route the records of each servlet request to the context of its
		 * authenticated user.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	public static class Health {

		/**
		 * Status of the 'redisLog' health indicator while Redis refuses log records. A
		 * status missing from 'management.endpoint.health.status.order', such as
		 * 'DEGRADED', shows the outage without changing the application's overall status.
		 */
		private String failingStatus = "DOWN";

		public String getFailingStatus() {
			return this.failingStatus;
		}

		public void setFailingStatus(String failingStatus) {
			Assert.hasText(failingStatus, "must not be empty");
			this.failingStatus = failingStatus;
		}

	}

}
