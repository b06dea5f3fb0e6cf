package io.github.redislog.web;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rapid connects and disconnects leave nothing behind, log no container noise, and do
 * not delay the graceful shutdown that follows. The test starts and closes the
 * application itself, to time the close.
 */
class LiveViewShutdownTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	private ConfigurableApplicationContext context;

	private int port;

	@BeforeEach
	void start() {
		LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
		this.logged.setContext(logging);
		this.logged.start();
		logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(this.logged);
		List<String> properties = new ArrayList<>(List.of(redis.properties()));
		properties.addAll(List.of("server.port=0", "server.shutdown=graceful", "redis-log.pattern=%m",
				"redis-log.web.keepalive=200ms", "redis-log.web.poll-timeout=100ms"));
		this.context = new SpringApplicationBuilder(LiveViewTestApplication.class)
			.properties(properties.toArray(new String[0]))
			.run();
		this.port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
	}

	@AfterEach
	void stop() {
		this.context.close();
		LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
		logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(this.logged);
	}

	@Test
	void rapidConnectsAndDisconnectsLeaveNothingBehindAndShutdownIsQuick() throws Exception {
		LogStreamReader reader = this.context.getBean(LogStreamReader.class);
		List<String> users = List.of("alice", "bob", "admin");
		AtomicLong opened = new AtomicLong();
		long start = System.nanoTime();
		List<Thread> workers = new ArrayList<>();
		for (int w = 0; w < 4; w++) {
			int worker = w;
			Thread thread = new Thread(() -> {
				for (int i = 0; i < 500; i++) {
					churn(users.get((worker + i) % users.size()), i, opened);
				}
			}, "churn-" + w);
			workers.add(thread);
			thread.start();
		}
		for (Thread worker : workers) {
			worker.join(TimeUnit.SECONDS.toMillis(60));
		}
		Duration churn = Duration.ofNanos(System.nanoTime() - start);
		await("every stream of the churn ends").atMost(Duration.ofSeconds(10))
			.until(() -> reader.subscriberCount() == 0);

		SseClient admin = SseClient.open(SseClient.httpClient(),
				URI.create("http://localhost:" + this.port + "/redis-log/stream/global?tail=0"), "admin", Map.of());
		await().until(() -> admin.comments().contains("connected"));
		long closeStart = System.nanoTime();
		this.context.close();
		Duration close = Duration.ofNanos(System.nanoTime() - closeStart);
		await().until(admin::ended);
		System.out.printf("[attack] 2000 connects and disconnects in %d ms (%d streams opened, the rest refused "
				+ "or gone first); then the application closed in %d ms with a stream open%n", churn.toMillis(),
				opened.get(), close.toMillis());

		assertThat(opened.get()).isPositive();
		assertThat(close).isLessThan(Duration.ofSeconds(5));
		assertThat(admin.endReason()).isEqualTo("shutdown");
		await().until(() -> liveViewThreads() == 0);
		assertThat(noise()).isEmpty();
		assertThat(new RedisStreams(redis.template()).payloads("stream:logs:global"))
			.extracting((entry) -> String.valueOf(entry.get("level")))
			.doesNotContain("WARN", "ERROR");
	}

	private void churn(String user, int i, AtomicLong opened) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
			socket.setSoTimeout(10_000);
			socket.getOutputStream()
				.write(("GET /redis-log/stream?tail=5 HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n"
						+ "Authorization: " + BasicAuthentication.header(user) + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			if (i % 2 == 0) {
				// Half wait for the status line; the others go at once.
				byte[] status = socket.getInputStream().readNBytes(12);
				if (new String(status, StandardCharsets.US_ASCII).endsWith("200")) {
					opened.incrementAndGet();
				}
			}
			if (i % 4 == 1) {
				// Reset rather than close.
				socket.setSoLinger(true, 0);
			}
		}
		catch (IOException ex) {
			// Refused or reset: part of the churn.
		}
	}

	// What the container and Spring MVC report about clients that went away.
	private List<String> noise() {
		return this.logged.list.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN)
					|| event.getFormattedMessage().contains("recycled"))
			.map((event) -> event.getLoggerName() + ": " + event.getFormattedMessage())
			.toList();
	}

	private static long liveViewThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.getName().startsWith("redis-log-s"))
			.count();
	}

}
