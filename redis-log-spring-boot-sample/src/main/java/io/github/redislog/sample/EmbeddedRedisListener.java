package io.github.redislog.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.embedded.RedisServer;

import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.context.event.SpringApplicationEvent;
import org.springframework.boot.context.logging.LoggingApplicationListener;
import org.springframework.context.ApplicationListener;
import org.springframework.context.aot.AbstractAotProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded Redis on a free port when the environment configures none, points
 * {@code spring.data.redis.*} at it, and stops it when the application context is
 * destroyed, after every lifecycle bean (the log worker's drain included) has stopped.
 *
 * @author Redis Log contributors
 */
final class EmbeddedRedisListener implements ApplicationListener<SpringApplicationEvent>, Ordered {

	static final String PROPERTY_SOURCE_NAME = "embeddedRedis";

	private static final List<String> REDIS_PROPERTIES = List.of("spring.data.redis.host", "spring.data.redis.port",
			"spring.data.redis.url", "spring.data.redis.sentinel.nodes", "spring.data.redis.cluster.nodes");

	private static final String HOST = "127.0.0.1";

	private static final Logger logger = LoggerFactory.getLogger(EmbeddedRedisListener.class);

	private volatile @Nullable EmbeddedRedisServer server;

	@Override
	public void onApplicationEvent(SpringApplicationEvent event) {
		if (event instanceof ApplicationEnvironmentPreparedEvent prepared) {
			startUnlessConfigured(prepared.getEnvironment());
		}
		else if (event instanceof ApplicationPreparedEvent prepared && this.server != null) {
			// Registered before any bean exists, so destroyed after all of them.
			DefaultListableBeanFactory beanFactory = (DefaultListableBeanFactory) prepared.getApplicationContext()
				.getBeanFactory();
			beanFactory.registerDisposableBean("embeddedRedisServer", this::stop);
		}
		else if (event instanceof ApplicationFailedEvent) {
			stop();
		}
	}

	@Override
	public int getOrder() {
		// After the config data (application.yml) is loaded and logging is initialized.
		return LoggingApplicationListener.DEFAULT_ORDER + 1;
	}

	private void startUnlessConfigured(ConfigurableEnvironment environment) {
		// The build's AOT processing prepares the context but never runs or closes it.
		if (Boolean.getBoolean(AbstractAotProcessor.AOT_PROCESSING)
				|| REDIS_PROPERTIES.stream().anyMatch(environment::containsProperty)) {
			return;
		}
		EmbeddedRedisServer server = new EmbeddedRedisServer(freePort());
		server.start();
		this.server = server;
		environment.getPropertySources()
			.addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME,
					Map.of("spring.data.redis.host", HOST, "spring.data.redis.port", server.port())));
		logger.info("No Redis configured: started an embedded Redis on port {}", server.port());
	}

	private void stop() {
		EmbeddedRedisServer server = this.server;
		if (server != null) {
			this.server = null;
			server.release();
			logger.info("Stopped the embedded Redis on port {}", server.port());
		}
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A {@link RedisServer} on {@value #HOST} that writes no snapshots and that outlives
	 * the application context. embedded-redis stops every server from a JVM shutdown hook
	 * of its own; as shutdown hooks run concurrently, it would stop Redis while Spring
	 * Boot's hook still closes the context and the log worker drains into Redis. Here that
	 * hook waits for {@link #release()} first.
	 */
	private static final class EmbeddedRedisServer extends RedisServer {

		private static final Duration RELEASE_TIMEOUT = Duration.ofMinutes(1);

		private final CountDownLatch released = new CountDownLatch(1);

		private final int port;

		EmbeddedRedisServer(int port) {
			super(port);
			this.port = port;
			// No RDB snapshots in the executable's temporary directory.
			this.args.addAll(List.of("--save", ""));
		}

		int port() {
			return this.port;
		}

		/**
		 * Stop the server now: the application context is closed or failed to start.
		 */
		void release() {
			this.released.countDown();
			super.stop();
		}

		@Override
		public void stop() {
			try {
				this.released.await(RELEASE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			super.stop();
		}

	}

}
