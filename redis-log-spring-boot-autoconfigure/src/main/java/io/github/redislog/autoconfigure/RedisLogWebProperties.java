package io.github.redislog.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.Assert;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of the live view: the Server-Sent Events endpoints that tail
 * the log streams and the terminal page.
 *
 * @author Redis Log contributors
 */
@ConfigurationProperties("redis-log.web")
public class RedisLogWebProperties {

	/**
	 * Whether to serve the live view. Defaults to on when Spring Security is on the
	 * classpath, and off otherwise.
	 */
	private @Nullable Boolean enabled;

	/**
	 * Path under which the page and the event streams are served.
	 */
	private String basePath = "/redis-log";

	/**
	 * Authority that may read the global stream and every context's stream.
	 */
	private String globalAuthority = "ROLE_ADMIN";

	/**
	 * Entries replayed on connect when the request gives no 'tail'.
	 */
	private int defaultTail = 200;

	/**
	 * Most entries replayed on connect, whatever the request's 'tail'.
	 */
	private int maxTail = 1000;

	/**
	 * Interval of the comment that keeps idle event streams open through proxies.
	 */
	private Duration keepalive = Duration.ofSeconds(15);

	/**
	 * Longest time the shared reader blocks in one XREAD; a stream that nobody watched
	 * before shows its live entries after at most this long.
	 */
	private Duration pollTimeout = Duration.ofMillis(500);

	/**
	 * Most entries read per stream in one XREAD.
	 */
	private int readCount = 500;

	/**
	 * Most data waiting to be sent to one client; a client further behind is disconnected
	 * and resumes from Redis when it reconnects.
	 */
	private DataSize clientBuffer = DataSize.ofMegabytes(1);

	/**
	 * Most data waiting for all clients together; every open stream holds 'client-buffer'
	 * of it, and streams beyond it are answered with 429. Defaults to a quarter of the
	 * maximum heap.
	 */
	private @Nullable DataSize totalBuffer;

	/**
	 * Longest time a client may take nothing of the data waiting for it before it is
	 * disconnected.
	 */
	private Duration sendTimeout = Duration.ofSeconds(10);

	/**
	 * Threads that write events to the clients, without ever waiting for one, and read
	 * the replays from Redis.
	 */
	private int senderThreads = 4;

	/**
	 * Most event streams one user may have open at once; more are answered with 429.
	 */
	private int maxStreamsPerUser = 10;

	/**
	 * Most event streams open at once; more are answered with 429. Defaults to a quarter
	 * of 'server.tomcat.max-connections' (8192 unless set), so that the streams leave
	 * most connections to ordinary requests.
	 */
	private @Nullable Integer maxStreams;

	/**
	 * Longest time one event stream stays open; the browser then reconnects and resumes
	 * where it was.
	 */
	private Duration streamTimeout = Duration.ofMinutes(30);

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public String getBasePath() {
		return this.basePath;
	}

	public void setBasePath(String basePath) {
		Assert.isTrue(basePath.startsWith("/") && basePath.length() > 1 && !basePath.endsWith("/")
				&& basePath.chars().noneMatch((c) -> "{}*?;%\\ ".indexOf(c) >= 0),
				"must start with '/', must not end with '/' and must be a plain path");
		this.basePath = basePath;
	}

	public String getGlobalAuthority() {
		return this.globalAuthority;
	}

	public void setGlobalAuthority(String globalAuthority) {
		Assert.hasText(globalAuthority, "must not be empty");
		this.globalAuthority = globalAuthority;
	}

	public int getDefaultTail() {
		return this.defaultTail;
	}

	public void setDefaultTail(int defaultTail) {
		Assert.isTrue(defaultTail >= 0, "must not be negative");
		this.defaultTail = defaultTail;
	}

	public int getMaxTail() {
		return this.maxTail;
	}

	public void setMaxTail(int maxTail) {
		Assert.isTrue(maxTail >= 0, "must not be negative");
		this.maxTail = maxTail;
	}

	public Duration getKeepalive() {
		return this.keepalive;
	}

	public void setKeepalive(Duration keepalive) {
		Assert.isTrue(keepalive.toMillis() > 0, "must be at least one millisecond");
		this.keepalive = keepalive;
	}

	public Duration getPollTimeout() {
		return this.pollTimeout;
	}

	public void setPollTimeout(Duration pollTimeout) {
		Assert.isTrue(pollTimeout.toMillis() > 0, "must be at least one millisecond");
		this.pollTimeout = pollTimeout;
	}

	public int getReadCount() {
		return this.readCount;
	}

	public void setReadCount(int readCount) {
		Assert.isTrue(readCount > 0, "must be positive");
		this.readCount = readCount;
	}

	public DataSize getClientBuffer() {
		return this.clientBuffer;
	}

	public void setClientBuffer(DataSize clientBuffer) {
		Assert.isTrue(clientBuffer.toBytes() > 0, "must be positive");
		this.clientBuffer = clientBuffer;
	}

	public @Nullable DataSize getTotalBuffer() {
		return this.totalBuffer;
	}

	public void setTotalBuffer(@Nullable DataSize totalBuffer) {
		Assert.isTrue(totalBuffer == null || totalBuffer.toBytes() > 0, "must be positive");
		this.totalBuffer = totalBuffer;
	}

	public Duration getSendTimeout() {
		return this.sendTimeout;
	}

	public void setSendTimeout(Duration sendTimeout) {
		Assert.isTrue(sendTimeout.toMillis() > 0, "must be at least one millisecond");
		this.sendTimeout = sendTimeout;
	}

	public int getMaxStreamsPerUser() {
		return this.maxStreamsPerUser;
	}

	public void setMaxStreamsPerUser(int maxStreamsPerUser) {
		Assert.isTrue(maxStreamsPerUser > 0, "must be positive");
		this.maxStreamsPerUser = maxStreamsPerUser;
	}

	public @Nullable Integer getMaxStreams() {
		return this.maxStreams;
	}

	public void setMaxStreams(@Nullable Integer maxStreams) {
		Assert.isTrue(maxStreams == null || maxStreams > 0, "must be positive");
		this.maxStreams = maxStreams;
	}

	public int getSenderThreads() {
		return this.senderThreads;
	}

	public void setSenderThreads(int senderThreads) {
		Assert.isTrue(senderThreads > 0, "must be positive");
		this.senderThreads = senderThreads;
	}

	public Duration getStreamTimeout() {
		return this.streamTimeout;
	}

	public void setStreamTimeout(Duration streamTimeout) {
		Assert.isTrue(streamTimeout.toMillis() > 0, "must be at least one millisecond");
		this.streamTimeout = streamTimeout;
	}

}
