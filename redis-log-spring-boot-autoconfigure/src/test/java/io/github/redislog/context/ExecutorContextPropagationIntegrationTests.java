package io.github.redislog.context;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
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
 * The log context follows a request into {@code @Async} methods and
 * {@code CompletableFuture}s on the auto-configured executor, here a pool of two platform
 * threads shared by 50 users: every record lands in exactly its user's stream.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = AsyncTestApplication.class,
		properties = { "redis-log.pattern=%m", "spring.task.execution.pool.core-size=2",
				"spring.task.execution.pool.max-size=2" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class ExecutorContextPropagationIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final String run = UUID.randomUUID().toString();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void fiftyUsersOnTwoThreadsEachLogOnlyIntoTheirOwnStream() {
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int user = 0; user < AsyncTestApplication.USERS; user++) {
			responses.add(send("/work?token=" + token(user), "user" + user));
			if (user % 10 == 0) {
				responses.add(send("/leaky?token=" + this.run + "-leaky-" + user, "user" + user));
				responses.add(send("/public?token=" + this.run + "-nobody-" + user, null));
			}
		}
		List<String> jobIds = new ArrayList<>();
		for (int i = 0; i < responses.size(); i++) {
			HttpResponse<String> response = responses.get(i).join();
			assertThat(response.statusCode()).isEqualTo(200);
			if (response.body().startsWith("job_")) {
				jobIds.add(response.body());
			}
		}
		int users = AsyncTestApplication.USERS;
		// Per user: "async" and "future" in the user's stream, "job" in the job's; 5 leaky, 5 anonymous.
		await().until(() -> ofThisRun("stream:logs:global").size() == users * 3 + 5 + 5);

		for (int user = 0; user < users; user++) {
			String token = token(user);
			assertThat(messagesOfThisRun("stream:logs:User.user" + user)).as("user%d", user)
				.hasSize(2)
				.anySatisfy((message) -> assertThat(message).startsWith("async " + token))
				.anySatisfy((message) -> assertThat(message).startsWith("future " + token));
		}
		assertThat(jobIds).hasSize(users).doesNotHaveDuplicates().allSatisfy((jobId) -> {
			List<String> job = messagesOfThisRun("stream:logs:" + jobId);
			assertThat(job).singleElement().asString().startsWith("job ");
			String user = job.get(0).substring(job.get(0).indexOf("-user") + 1).split("-")[0];
			assertThat(redis.template().opsForValue().get("owner:logs:" + jobId)).isEqualTo("User." + user);
		});
		// A task that left a context open never passed it to the next task on its thread.
		assertThat(messagesOfThisRun("stream:logs:User.leaked")).hasSize(5)
			.allSatisfy((message) -> assertThat(message).startsWith("leaky "));
		assertThat(ofThisRun("stream:logs:global")).filteredOn((payload) -> message(payload).startsWith("anonymous "))
			.hasSize(5)
			.allSatisfy((payload) -> assertThat(payload).doesNotContainKey("context"));
	}

	private String token(int user) {
		return this.run + "-user" + user + "-";
	}

	private List<Map<String, Object>> ofThisRun(String streamKey) {
		return this.streams.payloadsMentioning(streamKey, this.run);
	}

	private List<String> messagesOfThisRun(String streamKey) {
		return ofThisRun(streamKey).stream().map(ExecutorContextPropagationIntegrationTests::message).toList();
	}

	private static String message(Map<String, Object> payload) {
		return (String) payload.get("message");
	}

	private CompletableFuture<HttpResponse<String>> send(String path, @Nullable String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
