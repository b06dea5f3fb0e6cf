package io.github.redislog.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.RedisClusterProcesses;
import io.github.redislog.test.SseClient;
import io.lettuce.core.cluster.SlotHash;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live view on a Redis Cluster of three masters and three replicas: viewers of streams
 * in different slots get their lines live, resume without a gap, and keep their access
 * rules.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = LiveViewTestApplication.class,
		properties = { "redis-log.pattern=%m", "redis-log.web.keepalive=200ms", "redis-log.web.poll-timeout=100ms" })
// Closed with the class: its cluster stops after it.
@DirtiesContext
class ClusterLiveViewTests {

	@RegisterExtension
	static final RedisClusterProcesses cluster = new RedisClusterProcesses();

	private static final Logger log = LoggerFactory.getLogger("com.example.reports.ReportJob");

	private static final HttpClient http = SseClient.httpClient();

	private final String run = UUID.randomUUID().toString();

	private final List<SseClient> clients = new ArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private LogStreams streams;

	@DynamicPropertySource
	static void clusterProperties(DynamicPropertyRegistry registry) {
		registry.add("spring.data.redis.cluster.nodes", () -> String.join(",", cluster.addresses()));
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(SseClient::close);
	}

	@Test
	void viewersOfStreamsInDifferentSlotsGetTheirLinesLiveAndResumeWithoutAGap() throws Exception {
		String job = RedisLogContext.newJobId("report");
		List<String> keys = List.of(key("User.alice"), key("User.bob"), key("global"));
		assertThat(keys.stream().map(SlotHash::getSlot).distinct()).hasSize(3);
		logAs("User.alice", job, 1);
		await().until(() -> "User.alice".equals(this.streams.owner(job)));
		SseClient alice = open("/redis-log/stream?tail=0", "alice");
		SseClient bob = open("/redis-log/stream?tail=0", "bob");
		SseClient aliceJob = open("/redis-log/stream/context/" + job + "?tail=0", "alice");
		SseClient admin = open("/redis-log/stream/global?tail=0", "admin");
		assertThat(open("/redis-log/stream/context/" + job, "bob").status()).isEqualTo(403);
		await().until(() -> List.of(alice, bob, aliceJob, admin).stream()
			.allMatch((client) -> client.comments().contains("connected")));

		logAs("User.alice", null, 10);
		logAs("User.bob", null, 10);
		logAs("User.alice", job, 10);
		await().untilAsserted(() -> {
			assertThat(messages(alice)).hasSize(10);
			assertThat(messages(bob)).hasSize(10);
			assertThat(messages(aliceJob)).hasSize(10);
			assertThat(messages(admin)).hasSize(30);
		});
		assertThat(messages(admin)).doesNotHaveDuplicates();

		String lastSeen = alice.lastId();
		alice.close();
		logAs("User.alice", null, 5);
		SseClient resumed = open("/redis-log/stream", "alice", "Last-Event-ID", lastSeen);
		await().until(() -> messages(resumed).size() == 5);
		assertThat(messages(resumed)).doesNotHaveDuplicates()
			.satisfiesExactly((message) -> assertThat(message).contains(this.run + " 0"),
					(message) -> assertThat(message).contains(this.run + " 1"),
					(message) -> assertThat(message).contains(this.run + " 2"),
					(message) -> assertThat(message).contains(this.run + " 3"),
					(message) -> assertThat(message).contains(this.run + " 4"));
		logAs("User.alice", null, 1);
		await().until(() -> messages(resumed).size() == 6);

		assertThat(this.streams.purge(job)).isTrue();
		assertThat(this.streams.owner(job)).isNotNull();
	}

	private List<String> messages(SseClient client) {
		return client.events()
			.stream()
			.map(SseClient.Event::data)
			.filter((data) -> data.contains(this.run))
			.toList();
	}

	private void logAs(String user, String job, int count) {
		try (MDC.MDCCloseable scope = MDC.putCloseable(RedisLogContext.MDC_KEY, user);
				RedisLogContext.Scope jobScope = (job != null) ? RedisLogContext.open(job) : null) {
			for (int i = 0; i < count; i++) {
				log.info("{} {}", this.run, i);
			}
		}
	}

	private String key(String context) {
		return this.streams.channel(context).streamKey();
	}

	private SseClient open(String path, String user, String... headers) throws Exception {
		Map<String, String> extra = (headers.length == 0) ? Map.of() : Map.of(headers[0], headers[1]);
		SseClient client = SseClient.open(http, URI.create("http://localhost:" + this.port + path), user, extra);
		this.clients.add(client);
		return client;
	}

}
