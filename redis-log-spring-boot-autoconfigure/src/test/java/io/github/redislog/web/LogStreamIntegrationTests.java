package io.github.redislog.web;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.delivery.RedisLogWorker;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.LogContexts;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.data.domain.Range;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The live view's event streams over real HTTP, against a real Redis: replay, live
 * delivery, resume, access rules, purge and keepalive.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = LiveViewTestApplication.class,
		properties = { "redis-log.pattern=%m", "redis-log.stream.max-length=100000",
				"redis-log.web.default-tail=20", "redis-log.web.max-tail=50", "redis-log.web.keepalive=200ms",
				"redis-log.web.poll-timeout=100ms", "redis-log.web.client-buffer=64MB",
				"spring.mvc.servlet.load-on-startup=1", "HOSTNAME=web-1" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LogStreamIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.jobs.ImportJob");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient http = SseClient.httpClient();

	private final String run = UUID.randomUUID().toString();

	private final List<SseClient> clients = new ArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private LogStreams streams;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(SseClient::close);
	}

	@Test
	void replaysTheLastEntriesThenSendsNewOnesLive() throws Exception {
		String job = RedisLogContext.newJobId("import");
		log("User.alice", job, 30);
		List<String> stored = awaitEntries(job, 30);
		SseClient client = open("/redis-log/stream/context/" + job + "?tail=5", "alice");
		assertThat(client.status()).isEqualTo(200);
		assertThat(client.response().headers().firstValue("Content-Type")).hasValueSatisfying(
				(type) -> assertThat(type).startsWith("text/event-stream"));
		await().until(() -> client.events().size() >= 5);
		assertThat(client.ids().subList(0, 5)).isEqualTo(stored.subList(25, 30));
		assertThat(messages(client)).first().isEqualTo(this.run + " 25");

		log("User.alice", job, 3);
		await().until(() -> client.events().size() == 8);
		assertThat(client.ids()).isEqualTo(awaitEntries(job, 33).subList(25, 33));
		assertThat(messages(client)).endsWith(this.run + " 0", this.run + " 1", this.run + " 2");
	}

	@Test
	void replaysTheDefaultTailAndNeverMoreThanTheMaxTail() throws Exception {
		String job = RedisLogContext.newJobId("import");
		log("User.alice", job, 60);
		List<String> stored = awaitEntries(job, 60);
		SseClient byDefault = open("/redis-log/stream/context/" + job, "alice");
		SseClient capped = open("/redis-log/stream/context/" + job + "?tail=1000", "alice");
		SseClient none = open("/redis-log/stream/context/" + job + "?tail=0", "alice");
		await().until(() -> byDefault.events().size() >= 20 && capped.events().size() >= 50);
		log("User.alice", job, 1);
		List<String> all = awaitEntries(job, 61);
		// The new entry arrives right after the replay: nothing more was replayed.
		await().until(() -> byDefault.ids().contains(all.get(60)) && capped.ids().contains(all.get(60))
				&& none.ids().contains(all.get(60)));
		assertThat(byDefault.ids()).isEqualTo(all.subList(40, 61));
		assertThat(capped.ids()).isEqualTo(all.subList(10, 61));
		assertThat(none.ids()).containsExactly(all.get(60));
		assertThat(stored).isEqualTo(all.subList(0, 60));
	}

	@Test
	void resumesAfterLastEventIdWithoutGapOrDuplicate() throws Exception {
		String job = RedisLogContext.newJobId("import");
		log("User.alice", job, 10);
		awaitEntries(job, 10);
		SseClient first = open("/redis-log/stream/context/" + job, "alice");
		await().until(() -> first.events().size() == 10);
		log("User.alice", job, 2);
		await().until(() -> first.events().size() == 12);
		String lastSeen = first.lastId();
		first.close();

		log("User.alice", job, 7);
		List<String> stored = awaitEntries(job, 19);
		SseClient resumed = open("/redis-log/stream/context/" + job, "alice", "Last-Event-ID", lastSeen);
		await().until(() -> resumed.events().size() == 7);
		log("User.alice", job, 4);
		List<String> all = awaitEntries(job, 23);
		await().until(() -> resumed.events().size() == 11);
		assertThat(first.ids()).isEqualTo(stored.subList(0, 12));
		assertThat(resumed.ids()).isEqualTo(all.subList(12, 23));

		// ?since= is what a page without EventSource's own header uses; the header wins over it.
		SseClient since = open("/redis-log/stream/context/" + job + "?since=" + all.get(19), "alice");
		SseClient both = open("/redis-log/stream/context/" + job + "?since=" + all.get(0), "alice", "Last-Event-ID",
				all.get(21));
		await().until(() -> since.events().size() == 3 && both.events().size() == 1);
		assertThat(since.ids()).isEqualTo(all.subList(20, 23));
		assertThat(both.ids()).containsExactly(all.get(22));
	}

	@Test
	void noGapOrDuplicateWhenRecordsArriveWhileClientsConnect() throws Exception {
		String job = RedisLogContext.newJobId("import");
		String other = RedisLogContext.newJobId("other");
		// Keeps the reader blocked in XREAD on another stream, so that the clients join mid-read.
		SseClient busy = open("/redis-log/stream/context/" + other, "alice");
		log("User.alice", job, 50);
		awaitEntries(job, 50);
		AtomicBoolean writing = new AtomicBoolean(true);
		AtomicInteger written = new AtomicInteger(50);
		Thread writer = new Thread(() -> {
			try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
					RedisLogContext.Scope scope = RedisLogContext.open(job)) {
				for (int i = 0; i < 5000 && writing.get(); i++) {
					log.info("{} concurrent {}", this.run, i);
					written.incrementAndGet();
				}
			}
		});
		writer.start();
		List<SseClient> readers = new ArrayList<>();
		for (int i = 0; i < 6; i++) {
			SseClient reader = open("/redis-log/stream/context/" + job + "?tail=10", "alice");
			await().until(() -> !reader.events().isEmpty());
			readers.add(reader);
		}
		writing.set(false);
		writer.join();
		List<String> all = awaitEntries(job, written.get());
		String last = all.get(all.size() - 1);
		for (SseClient reader : readers) {
			await().until(() -> !reader.events().isEmpty() && reader.lastId().equals(last));
			List<String> ids = reader.ids();
			int from = all.indexOf(ids.get(0));
			assertThat(from).isNotNegative();
			assertThat(ids).isEqualTo(all.subList(from, all.size()));
		}
		assertThat(busy.events()).isEmpty();
	}

	@Test
	void unauthenticatedRequestsGet401() throws Exception {
		assertThat(open("/redis-log/stream", null).status()).isEqualTo(401);
		assertThat(open("/redis-log/stream/global", null).status()).isEqualTo(401);
		assertThat(open("/redis-log/stream/context/User.alice", null).status()).isEqualTo(401);
		assertThat(send("DELETE", "/redis-log/stream/context/User.alice", null).statusCode()).isEqualTo(401);
	}

	@Test
	void usersReadTheirOwnContextAndAdminsReadEveryContext() throws Exception {
		log(null, "User.alice", 3);
		List<String> alice = awaitEntries("User.alice", 3);
		SseClient own = open("/redis-log/stream", "alice");
		SseClient ownById = open("/redis-log/stream/context/User.alice", "alice");
		SseClient admin = open("/redis-log/stream/context/User.alice", "admin");
		SseClient adminGlobal = open("/redis-log/stream/global", "admin");
		assertThat(List.of(own, ownById, admin, adminGlobal)).extracting(SseClient::status).containsOnly(200);
		await().until(() -> own.ids().containsAll(alice) && ownById.ids().containsAll(alice)
				&& admin.ids().containsAll(alice));
		await().until(() -> messages(adminGlobal).contains(this.run + " 2"));

		assertThat(open("/redis-log/stream/context/User.alice", "bob").status()).isEqualTo(403);
		assertThat(open("/redis-log/stream/global", "bob").status()).isEqualTo(403);
		assertThat(open("/redis-log/stream/global", "alice").status()).isEqualTo(403);
		assertThat(open("/redis-log/stream/context/User.alice?tail=-1", "alice").status()).isEqualTo(400);
		assertThat(open("/redis-log/stream/context/User.alice?since=yesterday", "alice").status()).isEqualTo(400);
	}

	@Test
	void usersReadTheJobsTheyStartedAndNobodyElses() throws Exception {
		String job = RedisLogContext.newJobId("report");
		log("User.alice", job, 4);
		List<String> stored = awaitEntries(job, 4);
		await().until(() -> "User.alice".equals(this.streams.owner(job)));

		SseClient alice = open("/redis-log/stream/context/" + job, "alice");
		SseClient admin = open("/redis-log/stream/context/" + job, "admin");
		assertThat(alice.status()).isEqualTo(200);
		assertThat(admin.status()).isEqualTo(200);
		await().until(() -> alice.events().size() == 4 && admin.events().size() == 4);
		assertThat(alice.ids()).isEqualTo(stored);
		assertThat(admin.ids()).isEqualTo(stored);
		assertThat(open("/redis-log/stream/context/" + job, "bob").status()).isEqualTo(403);
		assertThat(send("DELETE", "/redis-log/stream/context/" + job, "bob").statusCode()).isEqualTo(403);
		assertThat(awaitEntries(job, 4)).isEqualTo(stored);
	}

	@Test
	void unknownContextGetsTheSameAnswerAsSomeoneElses() throws Exception {
		String unknown = RedisLogContext.newJobId("later");
		String alices = RedisLogContext.newJobId("report");
		log("User.alice", alices, 1);
		awaitEntries(alices, 1);
		await().until(() -> this.streams.owner(alices) != null);

		assertThat(open("/redis-log/stream/context/" + unknown, "bob").status()).isEqualTo(403);
		assertThat(open("/redis-log/stream/context/" + alices, "bob").status()).isEqualTo(403);
		assertThat(send("DELETE", "/redis-log/stream/context/" + unknown, "bob").statusCode()).isEqualTo(403);
		assertThat(send("DELETE", "/redis-log/stream/context/" + alices, "bob").statusCode()).isEqualTo(403);
		// Once its owner has logged, the context is theirs to read.
		log("User.bob", unknown, 2);
		await().until(() -> "User.bob".equals(this.streams.owner(unknown)));
		SseClient bob = open("/redis-log/stream/context/" + unknown, "bob");
		assertThat(bob.status()).isEqualTo(200);
		await().until(() -> bob.events().size() == 2);
		assertThat(bob.ids()).isEqualTo(awaitEntries(unknown, 2));
	}

	@Test
	void purgeDeletesTheStreamAndKeepsWhoOwnsIt() throws Exception {
		String job = RedisLogContext.newJobId("purge");
		String second = RedisLogContext.newJobId("purge");
		log("User.alice", job, 2);
		log("User.alice", second, 2);
		awaitEntries(job, 2);
		awaitEntries(second, 2);
		await().until(() -> this.streams.owner(second) != null);

		assertThat(send("DELETE", "/redis-log/stream/context/" + job, null).statusCode()).isEqualTo(401);
		assertThat(send("DELETE", "/redis-log/stream/context/" + job, "bob").statusCode()).isEqualTo(403);
		assertThat(send("DELETE", "/redis-log/stream/context/" + job, "alice").statusCode()).isEqualTo(204);
		assertThat(redis.template().hasKey(this.streams.channel(job).streamKey())).isFalse();
		assertThat(this.streams.owner(job)).isEqualTo("User.alice");
		assertThat(redis.template().getExpire(this.streams.channel(job).ownerKey())).isBetween(3500L, 3600L);
		// Still hers: bob, who learned the id, writes into it but never takes it over.
		assertThat(send("DELETE", "/redis-log/stream/context/" + job, "alice").statusCode()).isEqualTo(204);
		log("User.bob", job, 1);
		awaitEntries(job, 1);
		assertThat(this.streams.owner(job)).isEqualTo("User.alice");
		assertThat(open("/redis-log/stream/context/" + job + "?tail=0", "bob").status()).isEqualTo(403);
		assertThat(send("DELETE", "/redis-log/stream/context/" + job, "admin").statusCode()).isEqualTo(204);

		assertThat(this.streams.purge(second)).isTrue();
		assertThat(this.streams.purge(second)).isFalse();
		assertThat(this.streams.owner(second)).isEqualTo("User.alice");
	}

	@Test
	void sendsKeepaliveCommentsOnAnIdleStream() throws Exception {
		SseClient client = open("/redis-log/stream/context/" + RedisLogContext.newJobId("idle"), "admin");
		await().until(() -> client.comments().stream().filter("keepalive"::equals).count() >= 3);
		assertThat(client.comments()).first().isEqualTo("connected");
		assertThat(client.events()).isEmpty();
	}

	@Test
	void filtersByLevelAndTextOnReplayAndLive() throws Exception {
		String job = RedisLogContext.newJobId("import");
		logLevels(job);
		awaitEntries(job, 4);
		String path = "/redis-log/stream/context/" + job;
		SseClient warnings = open(path + "?level=WARN", "alice");
		SseClient search = open(path + "?q=TIMEOUT", "alice");
		SseClient both = open(path + "?level=warn&q=" + URLEncoder.encode("/ (b|c)$/", StandardCharsets.UTF_8),
				"alice");
		SseClient all = open(path, "alice");
		await().until(() -> all.events().size() == 4);
		logLevels(job);
		await().until(() -> all.events().size() == 8);
		await().until(() -> warnings.events().size() == 6 && search.events().size() == 2 && both.events().size() == 4);
		String run = this.run;
		assertThat(messages(warnings)).containsExactly(run + " timeout b", run + " c", run + " d",
				run + " timeout b", run + " c", run + " d");
		assertThat(messages(search)).containsExactly(run + " timeout b", run + " timeout b");
		assertThat(messages(both)).containsExactly(run + " timeout b", run + " c", run + " timeout b", run + " c");
	}

	@Test
	void linesOfTwoApplicationInstancesAreFilteredApart() throws Exception {
		String job = RedisLogContext.newJobId("import");
		logAs(job, "one");
		// A second instance of the application, with its own pod name, on the same Redis.
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
			.withPropertyValues(redis.properties())
			.withPropertyValues("redis-log.pattern=%m", "HOSTNAME=web-2")
			.run((second) -> {
				logAs(job, "two");
				await().until(() -> second.getBean(RedisLogWorker.class).publishedCount() == 1);
			});
		logAs(job, "three");
		awaitEntries(job, 3);
		SseClient web1 = open("/redis-log/stream/context/" + job + "?instance=web-1", "alice");
		SseClient web2 = open("/redis-log/stream/context/" + job + "?instance=web-2", "alice");
		await().until(() -> web1.events().size() == 2 && web2.events().size() == 1);
		assertThat(messages(web1)).containsExactly(this.run + " one", this.run + " three");
		assertThat(messages(web2)).containsExactly(this.run + " two");
	}

	@Test
	void replaysTheLastEntriesThatPassTheFilter() throws Exception {
		String job = RedisLogContext.newJobId("import");
		logLevels(job);
		log("User.alice", job, 30);
		awaitEntries(job, 34);
		SseClient client = open("/redis-log/stream/context/" + job + "?tail=2&level=ERROR", "alice");
		await().until(() -> client.events().size() == 1);
		assertThat(messages(client)).containsExactly(this.run + " c");
	}

	@Test
	void refusesFiltersItCannotApply() throws Exception {
		String path = "/redis-log/stream/context/User.alice?";
		assertThat(send("GET", path + "level=LOUD", "alice").statusCode()).isEqualTo(400);
		assertThat(send("GET", path + "q=" + URLEncoder.encode("/(a/", StandardCharsets.UTF_8), "alice").statusCode())
			.isEqualTo(400);
		assertThat(send("GET", path + "q=" + "x".repeat(201), "alice").statusCode()).isEqualTo(400);
	}

	@Test
	void controlsATerminalWouldObeyArriveEscapedInTheRawBody() throws Exception {
		String job = RedisLogContext.newJobId("import");
		try (RedisLogContext.Scope user = LogContexts.open("User.alice"); RedisLogContext.Scope scope = LogContexts.open(job)) {
			log.info("{} \u009d0;owned\u009c \u009b2J \u202eevil\u2069 \u2028next end", this.run);
		}
		awaitEntries(job, 1);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + "/redis-log/stream/context/" + job))
			.header("Authorization", BasicAuthentication.header("alice"))
			.build();
		try (InputStream body = http.send(request, HttpResponse.BodyHandlers.ofInputStream()).body()) {
			ByteArrayOutputStream received = new ByteArrayOutputStream();
			byte[] buffer = new byte[4096];
			assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
				while (!received.toString(StandardCharsets.UTF_8).contains("next end")) {
					int read = body.read(buffer);
					assertThat(read).isPositive();
					received.write(buffer, 0, read);
				}
			});
			String text = received.toString(StandardCharsets.UTF_8);
			assertThat(text).contains("\\u009d0;owned\\u009c \\u009b2J \\u202eevil\\u2069 \\u2028next end")
				.doesNotContainPattern("[\\u0080-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069]");
		}
	}

	@Test
	void aResumeThatTheStreamNoLongerReachesIsToldSoBeforeWhatRemains() throws Exception {
		String job = RedisLogContext.newJobId("import");
		log("User.alice", job, 10);
		List<String> stored = awaitEntries(job, 10);
		String streamKey = this.streams.channel(job).streamKey();
		redis.template().opsForStream().trim(streamKey, 3);
		SseClient trimmed = open("/redis-log/stream/context/" + job, "alice", "Last-Event-ID", stored.get(2));
		SseClient kept = open("/redis-log/stream/context/" + job, "alice", "Last-Event-ID", stored.get(7));
		await().until(() -> trimmed.events().size() == 3 && kept.events().size() == 2);
		assertThat(trimmed.events("gap")).singleElement().extracting(SseClient.Event::data).isEqualTo(stored.get(2));
		assertThat(trimmed.ids()).isEqualTo(stored.subList(7, 10));
		assertThat(kept.events("gap")).isEmpty();
		redis.template().delete(streamKey);
		SseClient expired = open("/redis-log/stream/context/" + job, "alice", "Last-Event-ID", stored.get(9));
		await().until(() -> !expired.events("gap").isEmpty());
		assertThat(expired.events()).isEmpty();
	}

	private void logLevels(String job) {
		try (RedisLogContext.Scope user = LogContexts.open("User.alice"); RedisLogContext.Scope scope = LogContexts.open(job)) {
			log.info("{} a", this.run);
			log.warn("{} timeout b", this.run);
			log.error("{} c", this.run);
			log.warn("{} d", this.run);
		}
	}

	private void logAs(String job, String text) {
		try (RedisLogContext.Scope user = LogContexts.open("User.alice"); RedisLogContext.Scope scope = LogContexts.open(job)) {
			log.info("{} {}", this.run, text);
		}
	}

	private void log(String owner, String contextId, int count) {
		try (RedisLogContext.Scope user = (owner != null) ? LogContexts.open(owner) : null;
				RedisLogContext.Scope scope = LogContexts.open(contextId)) {
			for (int i = 0; i < count; i++) {
				log.info("{} {}", this.run, i);
			}
		}
	}

	private List<String> awaitEntries(String contextId, int count) {
		String streamKey = this.streams.channel(contextId).streamKey();
		await().until(() -> ofThisRun(streamKey).size() >= count);
		return ofThisRun(streamKey);
	}

	private List<String> ofThisRun(String streamKey) {
		return redis.template()
			.opsForStream()
			.range(streamKey, Range.unbounded())
			.stream()
			.filter((entry) -> String.valueOf(entry.getValue().get("data")).contains(this.run))
			.map((entry) -> entry.getId().getValue())
			.toList();
	}

	@SuppressWarnings("unchecked")
	private static List<String> messages(SseClient client) {
		return client.events()
			.stream()
			.map((event) -> (String) JSON.readValue(event.data(), Map.class).get("message"))
			.toList();
	}

	private SseClient open(String path, String user, String... headers) throws Exception {
		Map<String, String> extra = (headers.length == 0) ? Map.of() : Map.of(headers[0], headers[1]);
		SseClient client = SseClient.open(http, URI.create("http://localhost:" + this.port + path), user, extra);
		this.clients.add(client);
		return client;
	}

	private HttpResponse<String> send(String method, String path, String user) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
