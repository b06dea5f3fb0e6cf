package io.github.redislog.web;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.LogContexts;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Downloads of a stream over real HTTP against a real Redis: what they hold, in both
 * formats, filtered, and who may have them.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = LiveViewTestApplication.class,
		properties = { "redis-log.pattern=%m", "spring.mvc.servlet.load-on-startup=1" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LiveViewDownloadTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.jobs.ExportJob");

	private static final HttpClient http = SseClient.httpClient();

	private final String run = UUID.randomUUID().toString();

	@LocalServerPort
	private int port;

	@Autowired
	private LogStreams streams;

	@Test
	void downloadsTheStreamsEntriesFilteredAsNdjsonAndAsText() throws Exception {
		String job = RedisLogContext.newJobId("export");
		try (RedisLogContext.Scope user = LogContexts.open("User.alice"); RedisLogContext.Scope scope = LogContexts.open(job)) {
			log.info("{} started", this.run);
			log.warn("{} slow \u009b2J", this.run);
			log.error("{} failed", this.run, new IllegalStateException("boom"));
		}
		String streamKey = this.streams.channel(job).streamKey();
		await().until(() -> payloads(streamKey).size() == 3);
		List<String> payloads = payloads(streamKey);

		HttpResponse<String> ndjson = get("/redis-log/download/context/" + job + "?format=ndjson", "alice");
		assertThat(ndjson.statusCode()).isEqualTo(200);
		assertThat(ndjson.headers().firstValue("Content-Type")).hasValue("application/x-ndjson");
		assertThat(ndjson.headers().firstValue("Content-Disposition")).hasValueSatisfying((disposition) -> assertThat(
				disposition).matches("attachment; filename=\"redis-log-" + job + "-[0-9]{8}T[0-9]{6}Z\\.ndjson\";.*"));
		assertThat(ndjson.body().lines()).containsExactlyElementsOf(payloads);

		HttpResponse<String> warnings = get("/redis-log/download/context/" + job + "?format=ndjson&level=warn", "alice");
		assertThat(warnings.body().lines()).containsExactlyElementsOf(payloads.subList(1, 3));

		HttpResponse<String> text = get("/redis-log/download/context/" + job + "?q=slow", "alice");
		assertThat(text.headers().firstValue("Content-Disposition")).hasValueSatisfying(
				(disposition) -> assertThat(disposition).contains("Z.log\";"));
		assertThat(text.body().lines()).singleElement()
			.asString()
			.matches("[0-9-]{10}T[0-9:.]+Z WARN \\[.+\\] " + this.run + " slow \\\\u009b2J");
		List<String> failed = get("/redis-log/download/context/" + job + "?level=ERROR", "alice").body().lines().toList();
		assertThat(failed.get(0)).endsWith(" ERROR [" + failed.get(0).replaceAll("^.* ERROR \\[(.*)\\] .*$", "$1")
				+ "] " + this.run + " failed");
		assertThat(failed.get(1)).isEqualTo("\tjava.lang.IllegalStateException: boom");
		assertThat(failed.subList(2, failed.size())).allMatch((line) -> line.startsWith("\t"));
	}

	@Test
	void refusesADownloadExactlyLikeReading() throws Exception {
		String job = RedisLogContext.newJobId("export");
		try (RedisLogContext.Scope user = LogContexts.open("User.alice"); RedisLogContext.Scope scope = LogContexts.open(job)) {
			log.info("{} secret", this.run);
		}
		await().until(() -> payloads(this.streams.channel(job).streamKey()).size() == 1);
		assertThat(get("/redis-log/download/context/" + job, "bob").statusCode()).isEqualTo(403);
		assertThat(get("/redis-log/download/context/" + job, null).statusCode()).isEqualTo(401);
		assertThat(get("/redis-log/download/global", "alice").statusCode()).isEqualTo(403);
		assertThat(get("/redis-log/download/context/" + job + "?format=pdf", "alice").statusCode()).isEqualTo(400);
		assertThat(get("/redis-log/download/context/" + job + "?q=%2F(%2F", "alice").statusCode()).isEqualTo(400);
		assertThat(get("/redis-log/download", "alice").body()).doesNotContain("secret");
		assertThat(get("/redis-log/download/context/" + job, "admin").body()).contains(this.run + " secret");
	}

	@Test
	void streamsTheLargestStreamAPageAtATime() throws Exception {
		String job = RedisLogContext.newJobId("big");
		String streamKey = this.streams.channel(job).streamKey();
		int entries = 100_000;
		String payload = "{\"message\":\"" + this.run + " " + "x".repeat(100) + "\",\"level\":\"INFO\"}";
		for (int batch = 0; batch < entries / 10_000; batch++) {
			redis.template().executePipelined((RedisConnection connection) -> {
				for (int i = 0; i < 10_000; i++) {
					redis.template().opsForStream().add(StreamRecords.string(Map.of("data", payload)).withStreamKey(streamKey));
				}
				return null;
			});
		}
		assertThat(redis.template().opsForStream().size(streamKey)).isEqualTo(entries);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/redis-log/download/context/" + job + "?format=ndjson"))
			.header("Authorization", BasicAuthentication.header("admin"))
			.build();
		HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.headers().firstValue("Content-Length")).isEmpty();
		long lines;
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
			lines = reader.lines().filter(payload::equals).count();
		}
		assertThat(lines).isEqualTo(entries);
	}

	private List<String> payloads(String streamKey) {
		return redis.template()
			.opsForStream()
			.range(streamKey, Range.unbounded())
			.stream()
			.map((entry) -> String.valueOf(entry.getValue().get("data")))
			.filter((data) -> data.contains(this.run))
			.toList();
	}

	private HttpResponse<String> get(String path, String user) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

}
