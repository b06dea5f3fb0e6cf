package io.github.redislog.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.github.redislog.test.BasicAuthentication;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample as {@code main} runs it, with no Redis configured: it starts an embedded
 * Redis, logs to it, and stops it when closed.
 */
class EmbeddedRedisTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void startsEmbeddedRedisWhenNoneIsConfiguredAndStopsItWhenClosed() throws Exception {
		assumeThat(System.getenv()).doesNotContainKeys("SPRING_DATA_REDIS_HOST", "SPRING_DATA_REDIS_PORT",
				"SPRING_DATA_REDIS_URL");
		Set<ProcessHandle> before = redisServers();
		int redisPort;
		ProcessHandle redisServer;
		try (ConfigurableApplicationContext context = SampleApplication.application().run("--server.port=0")) {
			ConfigurableEnvironment environment = context.getEnvironment();
			assertThat(environment.getPropertySources().contains(EmbeddedRedisListener.PROPERTY_SOURCE_NAME)).isTrue();
			assertThat(environment.getProperty("spring.data.redis.host")).isEqualTo("127.0.0.1");
			redisPort = environment.getRequiredProperty("spring.data.redis.port", Integer.class);
			Set<ProcessHandle> started = redisServers();
			started.removeAll(before);
			assertThat(started).hasSize(1);
			redisServer = started.iterator().next();

			int serverPort = ((WebServerApplicationContext) context).getWebServer().getPort();
			assertThat(hello(serverPort)).isEqualTo(200);
			StringRedisTemplate redis = context.getBean(StringRedisTemplate.class);
			await("the request's record in stream:logs:User.bob")
				.untilAsserted(() -> assertThat(messages(redis, "stream:logs:User.bob"))
					.anySatisfy((message) -> assertThat(message).endsWith("Hello, bob")));
		}
		assertThat(redisServer.isAlive()).isFalse();
		assertThat(acceptsConnections(redisPort)).isFalse();
	}

	private static Set<ProcessHandle> redisServers() {
		return ProcessHandle.current()
			.descendants()
			.filter((process) -> process.info().command().orElse("").contains("redis-server"))
			.collect(Collectors.toCollection(HashSet::new));
	}

	private static int hello(int serverPort) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + serverPort + "/hello"))
			.header("Authorization", BasicAuthentication.header("bob"))
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@SuppressWarnings("unchecked")
	private static List<String> messages(StringRedisTemplate redis, String streamKey) {
		return redis.opsForStream()
			.range(streamKey, Range.unbounded())
			.stream()
			.map((entry) -> JSON.readValue((String) entry.getValue().get("data"), Map.class))
			.map((payload) -> (String) payload.get("message"))
			.toList();
	}

	private static boolean acceptsConnections(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
