package io.github.redislog.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.LogContexts;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
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
 * The jobs list over real HTTP against a real Redis: a user's own jobs, every job for an
 * admin, never another user's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = LiveViewTestApplication.class,
		properties = { "redis-log.pattern=%m", "spring.mvc.servlet.load-on-startup=1" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LiveViewJobsTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.jobs.Job");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient http = SseClient.httpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private LogStreams streams;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void eachUserListsTheirOwnJobsAndAnAdminEveryJob() throws Exception {
		String imports = RedisLogContext.newJobId("import");
		String reports = RedisLogContext.newJobId("report");
		String exports = RedisLogContext.newJobId("export");
		start("User.alice", imports);
		start("User.alice", reports);
		start("User.bob", exports);
		// A user's own context is no job, whatever its owner key says.
		start("User.alice", "User.alice");
		for (String job : List.of(imports, reports, exports)) {
			await().until(() -> this.streams.lastId(this.streams.channel(job)) != null);
		}
		List<Map<String, Object>> alices = jobs("alice");
		assertThat(alices).extracting((job) -> job.get("id")).containsExactlyInAnyOrder(imports, reports);
		assertThat(alices).allSatisfy((job) -> assertThat((Integer) job.get("ttl")).isBetween(1, 3600));
		assertThat(jobs("bob")).extracting((job) -> job.get("id")).containsExactly(exports);
		assertThat(jobs("admin")).extracting((job) -> job.get("id"))
			.containsExactlyInAnyOrder(imports, reports, exports);
		assertThat(get(null).statusCode()).isEqualTo(401);
	}

	private void start(String owner, String job) {
		try (RedisLogContext.Scope user = LogContexts.open(owner); RedisLogContext.Scope scope = LogContexts.open(job)) {
			log.info("working");
		}
	}

	@SuppressWarnings("unchecked")
	private List<Map<String, Object>> jobs(String user) throws Exception {
		HttpResponse<String> response = get(user);
		assertThat(response.statusCode()).isEqualTo(200);
		return JSON.readValue(response.body(), List.class);
	}

	private HttpResponse<String> get(String user) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/redis-log/jobs"));
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
