package io.github.redislog.context;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.RegisterExtension;

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
 * With {@code spring.threads.virtual.enabled=true} the auto-configured executor starts a
 * virtual thread per task; the log context follows the request into {@code @Async}
 * methods and {@code CompletableFuture}s there too. Needs Java 21 or later to run.
 */
@EnabledForJreRange(min = JRE.JAVA_21)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = AsyncTestApplication.class,
		properties = { "redis-log.pattern=%m", "spring.threads.virtual.enabled=true" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class VirtualThreadContextPropagationIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final HttpClient http = HttpClient.newHttpClient();

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final String run = UUID.randomUUID().toString();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void asyncWorkOnVirtualThreadsLogsIntoTheRequestsUserContext() throws Exception {
		String user1Job = work("user1");
		String user2Job = work("user2");
		await().until(() -> ofThisRun("stream:logs:global").size() == 6);

		assertThat(ofThisRun("stream:logs:User.user1")).hasSize(2)
			.allSatisfy((message) -> assertThat(message).contains(this.run + "-user1")
				.contains("VirtualThread"));
		assertThat(ofThisRun("stream:logs:User.user2")).hasSize(2)
			.allSatisfy((message) -> assertThat(message).contains(this.run + "-user2")
				.contains("VirtualThread"));
		assertThat(ofThisRun("stream:logs:" + user1Job)).singleElement().asString().startsWith("job ");
		assertThat(redis.template().opsForValue().get("owner:logs:" + user1Job)).isEqualTo("User.user1");
		assertThat(redis.template().opsForValue().get("owner:logs:" + user2Job)).isEqualTo("User.user2");
	}

	private String work(String user) throws Exception {
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/work?token=" + this.run + "-" + user))
			.header("Authorization", BasicAuthentication.header(user))
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private List<String> ofThisRun(String streamKey) {
		return this.streams.payloadsMentioning(streamKey, this.run)
			.stream()
			.map((payload) -> (String) payload.get("message"))
			.toList();
	}

}
