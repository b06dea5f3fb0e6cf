package io.github.redislog.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.github.redislog.sample.SampleJobs.StartedJob;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample over real HTTP, against a real Redis of the test's own (so no embedded Redis
 * is started).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
// Closed after each test: JUnit stops the Redis (an extension) before it would close a
// context cached for the class, and the log worker drains into that Redis on close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class SampleApplicationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = SseClient.httpClient();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void jobLogsItsProgressToItsOwnStream() throws Exception {
		HttpResponse<String> response = send(request("/jobs", "alice").POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(response.statusCode()).isEqualTo(202);
		StartedJob job = JSON.readValue(response.body(), StartedJob.class);
		assertThat(job.jobId()).startsWith("job_");
		assertThat(job.streamKey()).isEqualTo("stream:logs:" + job.jobId());

		await("the job's last record in " + job.streamKey())
			.untilAsserted(() -> assertThat(messages(job.streamKey())).last()
				.asString()
				.endsWith("Job " + job.jobId() + " finished"));
		assertThat(payloads(job.streamKey())).hasSize(SampleJobs.STEPS + 2)
			.allSatisfy((payload) -> assertThat(payload).containsEntry("context", job.jobId())
				.containsEntry("logger", SampleJobs.class.getName()));
		assertThat(messages(job.streamKey())).first().asString().endsWith("started by alice");
		assertThat(redis.template().opsForValue().get("owner:logs:" + job.jobId())).isEqualTo("User.alice");
		assertThat(messages(job.streamKey())).filteredOn((message) -> message.contains("Step "))
			.hasSize(SampleJobs.STEPS);
		await("the request's record in stream:logs:User.alice")
			.untilAsserted(() -> assertThat(messages("stream:logs:User.alice"))
				.anySatisfy((message) -> assertThat(message).endsWith("Started " + job.jobId())));
	}

	@Test
	void helloGreetsTheSignedInUser() throws Exception {
		HttpResponse<String> response = send(request("/hello", "bob").GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("Hello, bob!");
	}

	@Test
	void helloNeedsCredentials() throws Exception {
		assertThat(send(request("/hello", null).GET()).statusCode()).isEqualTo(401);
	}

	@Test
	void rootShowsTheLiveViewWithAJobButton() throws Exception {
		HttpResponse<String> response = send(request("/", "alice").GET());
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("data-redis-log", "/redis-log/assets/redis-log.js", "id=\"start-job\"");
		assertThat(send(request("/redis-log/assets/redis-log.js", "alice").GET()).statusCode()).isEqualTo(200);
		assertThat(send(request("/sample.js", "alice").GET()).body()).contains("fetch('/jobs'");
	}

	@Test
	void jobIsWatchedLiveByItsOwnerAndTheAdminOnly() throws Exception {
		StartedJob job = JSON.readValue(send(request("/jobs", "alice").POST(HttpRequest.BodyPublishers.noBody())).body(),
				StartedJob.class);
		String path = "/redis-log/stream/context/" + job.jobId();
		// Until its first lines reach Redis the job has no owner, and reads as anyone else's: 403.
		await().until(() -> "User.alice".equals(redis.template().opsForValue().get("owner:logs:" + job.jobId())));
		try (SseClient alice = SseClient.open(this.http, uri(path), "alice", Map.of());
				SseClient admin = SseClient.open(this.http, uri(path), "admin", Map.of())) {
			assertThat(alice.status()).isEqualTo(200);
			assertThat(admin.status()).isEqualTo(200);
			await("the job's lines, live").untilAsserted(() -> assertThat(alice.events()).hasSize(SampleJobs.STEPS + 2)
				.last()
				.satisfies((event) -> assertThat(event.data()).contains("Job " + job.jobId() + " finished")));
			await().untilAsserted(() -> assertThat(admin.ids()).isEqualTo(alice.ids()));
			try (SseClient bob = SseClient.open(this.http, uri(path), "bob", Map.of())) {
				assertThat(bob.status()).isEqualTo(403);
			}
		}
	}

	private List<String> messages(String streamKey) {
		return payloads(streamKey).stream().map((payload) -> (String) payload.get("message")).toList();
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> payloads(String streamKey) {
		return redis.template()
			.opsForStream()
			.range(streamKey, Range.unbounded())
			.stream()
			.map((entry) -> (Map<String, Object>) JSON.readValue((String) entry.getValue().get("data"), Map.class))
			.toList();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private HttpRequest.Builder request(String path, String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		return request;
	}

	private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
