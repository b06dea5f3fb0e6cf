package io.github.redislog.web;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A viewer who connects while Redis is away keeps an open stream, and gets the lines once
 * Redis is back.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = LiveViewTestApplication.class,
		properties = { "redis-log.pattern=%m", "redis-log.web.poll-timeout=100ms", "redis-log.web.keepalive=200ms",
				"spring.data.redis.timeout=1s", "spring.data.redis.connect-timeout=1s" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LiveViewOutageTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.web.Orders");

	@LocalServerPort
	private int port;

	private SseClient client;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@AfterEach
	void disconnect() {
		if (this.client != null) {
			this.client.close();
		}
		redis.server().start();
	}

	@Test
	void viewerWhoConnectsWhileRedisIsAwayWaitsAndResumes() throws Exception {
		redis.server().stop();
		this.client = SseClient.open(SseClient.httpClient(),
				URI.create("http://localhost:" + this.port + "/redis-log/stream?tail=10"), "alice", Map.of());
		assertThat(this.client.status()).isEqualTo(200);
		await().until(() -> this.client.comments().stream().filter("keepalive"::equals).count() >= 3);
		assertThat(this.client.ended()).isFalse();

		redis.server().start();
		String marker = UUID.randomUUID().toString();
		try (RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
			log.info("back {}", marker);
		}
		await().atMost(Duration.ofSeconds(20))
			.until(() -> this.client.events().stream().anyMatch((event) -> event.data().contains(marker)));
		assertThat(this.client.ended()).isFalse();
	}

}
