package io.github.redislog.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.data.domain.Range;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged sample, AOT-processed by the build ({@code spring-boot:process-aot}), run
 * as a new user would run it: its own JVM with {@code -Dspring.aot.enabled=true}, on a
 * free port, against a Redis of the test's own. Failsafe runs it after the package phase.
 */
class SampleApplicationAotTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(90);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final HttpClient http = SseClient.httpClient();

	private final Path output = Path.of("target", "sample-aot.log");

	private final int port = freePort();

	private Process application;

	@BeforeEach
	void startApplication() throws IOException {
		String java = ProcessHandle.current().info().command().orElseThrow();
		List<String> command = List.of(java, "-Dspring.aot.enabled=true", "-jar", System.getProperty("sample.jar"),
				"--server.port=" + this.port, "--spring.data.redis.host=" + redis.host(),
				"--spring.data.redis.port=" + redis.port());
		this.application = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectOutput(this.output.toFile())
			.start();
	}

	@AfterEach
	void stopApplication() throws InterruptedException {
		ProcessHandle handle = this.application.toHandle();
		handle.descendants().forEach(ProcessHandle::destroy);
		handle.destroy();
		if (!this.application.waitFor(30, TimeUnit.SECONDS)) {
			handle.descendants().forEach(ProcessHandle::destroyForcibly);
			handle.destroyForcibly();
			this.application.waitFor(10, TimeUnit.SECONDS);
		}
	}

	@Test
	void startsAotProcessedStreamsPerUserAndServesTheLiveView() throws Exception {
		await("the AOT-processed sample on port " + this.port).atMost(STARTUP_TIMEOUT).until(this::answers);
		assertThat(Files.readString(this.output)).contains("Starting AOT-processed SampleApplication");

		HttpResponse<String> hello = send("/hello", "alice");
		assertThat(hello.statusCode()).isEqualTo(200);
		assertThat(hello.body()).isEqualTo("Hello, alice!");
		await("the request's record in stream:logs:User.alice")
			.untilAsserted(() -> assertThat(messages("stream:logs:User.alice"))
				.anySatisfy((message) -> assertThat(message).endsWith("Hello, alice")));

		HttpResponse<String> page = send("/redis-log/", "alice");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("data-redis-log", "assets/redis-log.js");
		assertThat(send("/redis-log/assets/redis-log.js", "alice").statusCode()).isEqualTo(200);
		try (SseClient alice = SseClient.open(this.http, uri("/redis-log/stream"), "alice", Map.of())) {
			assertThat(alice.status()).isEqualTo(200);
			await("alice's record, over Server-Sent Events").untilAsserted(() -> assertThat(alice.events())
				.anySatisfy((event) -> assertThat(event.data()).contains("Hello, alice")));
		}
	}

	private boolean answers() throws IOException, InterruptedException {
		if (!this.application.isAlive()) {
			throw new IllegalStateException("The sample exited: " + Files.readString(this.output));
		}
		try {
			return send("/hello", "alice").statusCode() == 200;
		}
		catch (IOException ex) {
			return false;
		}
	}

	@SuppressWarnings("unchecked")
	private List<String> messages(String streamKey) {
		return redis.template()
			.opsForStream()
			.range(streamKey, Range.unbounded())
			.stream()
			.map((entry) -> (String) JSON.readValue((String) entry.getValue().get("data"), Map.class).get("message"))
			.toList();
	}

	private HttpResponse<String> send(String path, String user) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri(path))
			.header("Authorization", BasicAuthentication.header(user))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
