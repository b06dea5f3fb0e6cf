package io.github.redislog.test;

import java.net.URI;

import com.redis.testcontainers.RedisContainer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.testcontainers.DockerClientFactory;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The real Redis a test class talks to, found in this order:
 * <ol>
 * <li>the address in the {@value #ADDRESS_VARIABLE} environment variable
 * ({@code redis://host:port}): shared, so tests never flush it and use keys of their
 * own;</li>
 * <li>a {@code redis-server} on the {@code PATH}, started on a free port for the test
 * class and stopped by PID after it;</li>
 * <li>a Testcontainers Redis container, where a Docker engine runs.</li>
 * </ol>
 * Register it as a static {@code @RegisterExtension} field.
 *
 * @author Redis Log contributors
 */
public final class TestRedis implements BeforeAllCallback, AfterAllCallback {

	/**
	 * Environment variable with the address of a Redis to use instead of starting one.
	 */
	public static final String ADDRESS_VARIABLE = "REDIS_LOG_TEST_REDIS_URL";

	private final boolean ownServer;

	private @Nullable RedisServerProcess server;

	private @Nullable RedisContainer container;

	private @Nullable URI address;

	private @Nullable LettuceConnectionFactory connectionFactory;

	private TestRedis(boolean ownServer) {
		this.ownServer = ownServer;
	}

	/**
	 * A Redis for the test class, from the first source that is available.
	 * @return the extension
	 */
	public static TestRedis perClass() {
		return new TestRedis(false);
	}

	/**
	 * A {@code redis-server} process of the test class's own, which it may stop and
	 * start again.
	 * @return the extension
	 */
	public static TestRedis ownServer() {
		return new TestRedis(true);
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		String configured = System.getenv(ADDRESS_VARIABLE);
		if (!this.ownServer && configured != null && !configured.isBlank()) {
			this.address = URI.create(configured);
		}
		else if (this.ownServer || RedisServerProcess.isAvailable()) {
			this.server = RedisServerProcess.startOnFreePort();
			this.address = URI.create("redis://127.0.0.1:" + this.server.port());
		}
		else if (DockerClientFactory.instance().isDockerAvailable()) {
			this.container = new RedisContainer(RedisContainer.DEFAULT_IMAGE_NAME.withTag(RedisContainer.DEFAULT_TAG));
			this.container.start();
			this.address = URI.create(this.container.getRedisURI());
		}
		else {
			throw new IllegalStateException("No Redis for the tests: set " + ADDRESS_VARIABLE
					+ ", put redis-server on the PATH or run a Docker engine");
		}
	}

	@Override
	public void afterAll(ExtensionContext context) {
		if (this.connectionFactory != null) {
			this.connectionFactory.destroy();
			this.connectionFactory = null;
		}
		if (this.server != null) {
			this.server.stop();
		}
		if (this.container != null) {
			this.container.stop();
		}
	}

	public String host() {
		return address().getHost();
	}

	public int port() {
		return address().getPort();
	}

	/**
	 * Return the Spring Boot properties that point an application at this Redis.
	 * @return {@code spring.data.redis.host} and {@code spring.data.redis.port}
	 */
	public String[] properties() {
		return new String[] { "spring.data.redis.host=" + host(), "spring.data.redis.port=" + port() };
	}

	/**
	 * Point a Spring test context at this Redis, from a {@code @DynamicPropertySource}
	 * method.
	 * @param registry the registry of the test context's dynamic properties
	 */
	public void registerProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.host", this::host);
		registry.add("spring.data.redis.port", this::port);
	}

	/**
	 * Return a template for the test's own reads and writes.
	 * @return a template on a connection of the test's own
	 */
	public synchronized StringRedisTemplate template() {
		if (this.connectionFactory == null) {
			this.connectionFactory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host(), port()));
			this.connectionFactory.afterPropertiesSet();
			this.connectionFactory.start();
		}
		return new StringRedisTemplate(this.connectionFactory);
	}

	/**
	 * Return the server process, for tests that inject outages.
	 * @return the process
	 * @throws IllegalStateException unless created by {@link #ownServer()}
	 */
	public RedisServerProcess server() {
		if (this.server == null || !this.ownServer) {
			throw new IllegalStateException("Only TestRedis.ownServer() has a process of its own");
		}
		return this.server;
	}

	private URI address() {
		if (this.address == null) {
			throw new IllegalStateException("TestRedis is not started: register it with @RegisterExtension");
		}
		return this.address;
	}

}
