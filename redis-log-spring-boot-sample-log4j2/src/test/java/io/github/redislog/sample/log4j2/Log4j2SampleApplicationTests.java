package io.github.redislog.sample.log4j2;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.UUID;

import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Log4j2 application that adds the starter keeps its logging system: Logback is nowhere on
 * its class path, its own log file keeps being written, and its records stream per user.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "logging.file.name=target/log4j2-sample-test.log", "redis-log.pattern=%m" })
class Log4j2SampleApplicationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final RedisStreams streams = new RedisStreams(redis.template());

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void logbackIsNotOnTheClassPath() {
		assertThat(ClassUtils.isPresent("ch.qos.logback.classic.LoggerContext", null)).isFalse();
		assertThat(org.slf4j.LoggerFactory.getILoggerFactory().getClass().getName())
			.isEqualTo("org.apache.logging.slf4j.Log4jLoggerFactory");
	}

	@Test
	void recordsStreamPerUserAndTheApplicationsLogFileKeepsBeingWritten() throws Exception {
		String token = UUID.randomUUID().toString();
		assertThat(get("/hello?token=" + token + "-alice", "alice")).isEqualTo(200);
		assertThat(get("/hello?token=" + token + "-bob", "bob")).isEqualTo(200);
		await().until(() -> this.streams.payloadsMentioning("stream:logs:global", token).size() == 2);
		assertThat(this.streams.payloadsMentioning("stream:logs:User.alice", token)).singleElement()
			.satisfies((payload) -> assertThat(payload).containsEntry("message", "Greeting " + token + "-alice")
				.containsEntry("context", "User.alice")
				.containsEntry("logger", Log4j2SampleApplication.GreetingController.class.getCanonicalName()));
		assertThat(this.streams.payloadsMentioning("stream:logs:User.bob", token)).singleElement()
			.satisfies((payload) -> assertThat(payload).containsEntry("message", "Greeting " + token + "-bob"));
		Path logFile = Path.of("target/log4j2-sample-test.log");
		await().until(() -> Files.exists(logFile) && Files.readString(logFile).contains("Greeting " + token + "-bob"));
		assertThat(Files.readString(logFile)).contains("Greeting " + token + "-alice");
	}

	private int get(String path, String user) throws IOException, InterruptedException {
		String credentials = Base64.getEncoder().encodeToString((user + ":" + user).getBytes());
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", "Basic " + credentials)
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

}
