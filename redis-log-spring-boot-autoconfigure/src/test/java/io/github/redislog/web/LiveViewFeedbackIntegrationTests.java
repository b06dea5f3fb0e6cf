package io.github.redislog.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Serving a stream never feeds it: what the live view's threads and loggers log is not
 * published, while the same code on a request thread is.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		classes = { LiveViewTestApplication.class, LiveViewFeedbackIntegrationTests.AuditConfiguration.class },
		properties = { "redis-log.pattern=%m", "redis-log.web.poll-timeout=100ms", "redis-log.web.keepalive=100ms" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LiveViewFeedbackIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final HttpClient http = SseClient.httpClient();

	private final RedisStreams redisStreams = new RedisStreams(redis.template());

	@LocalServerPort
	private int port;

	@Autowired
	private AuditingAccessPolicy policy;

	@Autowired
	private LogStreams streams;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void recordsOfTheLiveViewsThreadsAndLoggersAreNotPublished() throws Exception {
		String job = RedisLogContext.newJobId("audited");
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("bob");
				RedisLogContext.Scope scope = RedisLogContext.open(job)) {
			LoggerFactory.getLogger("com.example.Job").info("{} working", job);
		}
		await().until(() -> "User.bob".equals(this.streams.owner(job)));
		try (SseClient bob = SseClient.open(http,
				URI.create("http://localhost:" + this.port + "/redis-log/stream/context/" + job), "bob", Map.of())) {
			assertThat(bob.status()).isEqualTo(200);
			await().until(() -> bob.events().size() == 1);
			// Asked again at every keepalive, on a sender thread.
			await().until(() -> this.policy.threads.stream().anyMatch((thread) -> thread.startsWith("redis-log-sse-")));
		}
		List<String> askedOn = this.policy.threads;
		assertThat(askedOn).anySatisfy((thread) -> assertThat(thread).startsWith("http-"))
			.anySatisfy((thread) -> assertThat(thread).startsWith("redis-log-sse-"));
		await().until(() -> audits(AuditingAccessPolicy.AUDIT).size() == askedOn.stream()
			.filter((thread) -> thread.startsWith("http-"))
			.count());
		assertThat(audits(AuditingAccessPolicy.AUDIT)).allSatisfy((thread) -> assertThat(thread).startsWith("http-"));
		assertThat(audits(AuditingAccessPolicy.STARTER)).isEmpty();
	}

	private List<String> audits(String logger) {
		return this.redisStreams.payloads("stream:logs:global")
			.stream()
			.filter((payload) -> logger.equals(payload.get("logger")))
			.map((payload) -> (String) payload.get("thread"))
			.toList();
	}

	@Import(AuditingAccessPolicy.class)
	static class AuditConfiguration {

	}

	/**
	 * The default policy, logging each decision: once with an application's logger, once
	 * with a logger of the live view's package.
	 */
	static class AuditingAccessPolicy implements LogStreamAccessPolicy {

		static final String AUDIT = "com.example.audit.Access";

		static final String STARTER = "io.github.redislog.web.Access";

		private static final Logger audit = LoggerFactory.getLogger(AUDIT);

		private static final Logger starter = LoggerFactory.getLogger(STARTER);

		final List<String> threads = new CopyOnWriteArrayList<>();

		private final OwnerLogStreamAccessPolicy delegate;

		AuditingAccessPolicy(LogStreams streams) {
			this.delegate = new OwnerLogStreamAccessPolicy(streams, "ROLE_ADMIN");
		}

		@Override
		public boolean canRead(LogViewer viewer, @Nullable String contextId) {
			boolean allowed = this.delegate.canRead(viewer, contextId);
			this.threads.add(Thread.currentThread().getName());
			audit.info("{} {} {}: {}", UUID.randomUUID(), viewer.name(), contextId, allowed);
			starter.info("{} {}: {}", viewer.name(), contextId, allowed);
			return allowed;
		}

	}

}
