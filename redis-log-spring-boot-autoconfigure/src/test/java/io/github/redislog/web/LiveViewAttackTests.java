package io.github.redislog.web;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.CookieManager;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.LogContexts;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The live view under hostile clients of one user while another user watches: clients
 * that never read, cursors in the future or out of range, a flood of streams,
 * a sign-out and a revoked job during a stream, forged line breaks and an owner key
 * written into another user's context. Each attack prints what
 * it measured (prefix {@code [attack]}). The send timeout and Tomcat's connection timeout are
 * short so that the run stays quick; for the figures at the defaults:
 * {@code -Dattack.send-timeout=10s -Dattack.connection-timeout=60s}.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = LiveViewTestApplication.class,
		properties = { "redis-log.pattern=%m", "redis-log.max-message-size=16KB", "redis-log.web.poll-timeout=100ms",
				"redis-log.web.keepalive=300ms", "redis-log.web.send-timeout=${attack.send-timeout:3s}",
				"server.tomcat.connection-timeout=${attack.connection-timeout:5s}",
				"spring.mvc.servlet.load-on-startup=1" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LiveViewAttackTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.web.Orders");

	private static final long CLIENT_BUFFER = 1024 * 1024;

	private static final Duration HONEST_LATENCY = Duration.ofSeconds(5);

	private static final HttpClient http = SseClient.httpClient();

	private final String run = UUID.randomUUID().toString().substring(0, 8);

	private final List<SseClient> clients = new CopyOnWriteArrayList<>();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private LogStreamReader reader;

	@Autowired
	private LogStreams streams;

	@Autowired
	private ConfigurableApplicationContext context;

	@Value("${redis-log.web.send-timeout}")
	private Duration sendTimeout;

	@Value("${server.tomcat.connection-timeout}")
	private Duration connectionTimeout;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(SseClient::close);
		this.sockets.forEach(LiveViewAttackTests::abort);
	}

	@Test
	void clientsThatNeverReadAreCutOffWhileAnotherUsersViewerKeepsUp() throws Exception {
		String payload = "x".repeat(8 * 1024);
		logAs("User.alice", 1000, (i) -> i + " " + payload);
		await().atMost(Duration.ofSeconds(30)).until(() -> streamLength("User.alice") >= 1000);
		SseClient bob = open("/redis-log/stream?tail=0", "bob");
		await().until(() -> bob.comments().contains("connected"));
		long heapBefore = usedHeapAfterGc();

		int stalled = 8;
		long attackStart = System.nanoTime();
		for (int i = 0; i < stalled; i++) {
			this.sockets.add(neverReading("/redis-log/stream?tail=1000", "alice"));
		}
		AtomicLong peakBuffered = new AtomicLong();
		ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
		sampler.scheduleAtFixedRate(() -> peakBuffered.accumulateAndGet(this.reader.bufferedBytes(), Math::max), 0,
				20, TimeUnit.MILLISECONDS);
		await().until(() -> this.reader.subscriberCount() == stalled + 1);
		long heapDuring;
		Duration worst;
		try {
			worst = honestViewerLatency(bob, "User.bob", 1);
			await().until(() -> this.reader.bufferedBytes() >= stalled * CLIENT_BUFFER / 4);
			heapDuring = usedHeapAfterGc();
			Duration rest = honestViewerLatency(bob, "User.bob", 9);
			worst = (rest.compareTo(worst) > 0) ? rest : worst;
			await("stalled clients cut off").atMost(this.sendTimeout.plusSeconds(5))
				.until(() -> this.reader.endCount(StreamEnd.SLOW) == stalled);
		}
		finally {
			sampler.shutdownNow();
			sampler.awaitTermination(5, TimeUnit.SECONDS);
		}
		Duration toDisconnect = Duration.ofNanos(System.nanoTime() - attackStart);
		report("never-reading clients: %d on tail=1000 of 8 KB entries; honest viewer worst latency %d ms; "
				+ "all cut off after %d ms (send-timeout %d ms); peak data queued for them %d KB (%d KB each); "
				+ "heap after GC while they were stalled %+d KB each", stalled, worst.toMillis(), toDisconnect.toMillis(),
				this.sendTimeout.toMillis(), peakBuffered.get() / 1024, peakBuffered.get() / 1024 / stalled,
				(heapDuring - heapBefore) / 1024 / stalled);
		assertThat(worst).isLessThan(HONEST_LATENCY);
		assertThat(peakBuffered.get()).isLessThanOrEqualTo(stalled * (CLIENT_BUFFER + 32 * 1024));
		assertThat(this.reader.subscriberCount()).isEqualTo(1);
		// Tomcat still tries to write what it holds, for server.tomcat.connection-timeout.
		long cut = System.nanoTime();
		await("the container lets the stalled connections go").atMost(this.connectionTimeout.plusSeconds(5))
			.until(() -> tomcatConnections() <= 2);
		report("the container closed their connections %d ms after the cut-off (connection-timeout %d ms)",
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cut), this.connectionTimeout.toMillis());
		assertThat(bob.ended()).isFalse();
	}

	@Test
	void cursorsInTheFutureOrOutOfRangeMoveOnlyTheirOwnStream() throws Exception {
		logAs("User.alice", 3, (i) -> "before " + i);
		await().until(() -> streamLength("User.alice") >= 3);
		long inAnHour = System.currentTimeMillis() + 3_600_000;
		SseClient future = open("/redis-log/stream?since=" + inAnHour + "-0", "alice");
		SseClient farFuture = open("/redis-log/stream", "alice", "Last-Event-ID", "9223372036854775807-0");
		assertThat(open("/redis-log/stream?since=18446744073709551615-18446744073709551615", "alice").status())
			.isEqualTo(400);
		assertThat(open("/redis-log/stream", "alice", "Last-Event-ID", "18446744073709551616-0").status())
			.isEqualTo(400);
		assertThat(open("/redis-log/stream?since=1-2-3", "alice").status()).isEqualTo(400);
		await().until(() -> future.comments().contains("connected") && farFuture.comments().contains("connected"));
		SseClient honest = open("/redis-log/stream?tail=0", "alice");
		assertThat(List.of(future, farFuture, honest)).extracting(SseClient::status).containsOnly(200);

		Duration worst = honestViewerLatency(honest, "User.alice", 10);
		report("future and out-of-range cursors: honest viewer of the same stream, worst latency %d ms",
				worst.toMillis());
		assertThat(worst).isLessThan(HONEST_LATENCY);
		// A cursor after the stream's end counts as its end: those viewers get the new lines too, nothing older.
		await().until(() -> future.events().size() == 10 && farFuture.events().size() == 10);
		assertThat(future.ids()).isEqualTo(honest.ids());
		assertThat(farFuture.ids()).isEqualTo(honest.ids());
	}

	@Test
	void oneUsersFloodOfStreamsIsRefusedWhileOtherUsersAreServed() throws Exception {
		List<CompletableFuture<HttpResponse<InputStream>>> flood = new ArrayList<>();
		// 500 connects at once overflow the listen backlog: some are retried by TCP for seconds.
		HttpClient floodClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(30))
			.build();
		for (int i = 0; i < 500; i++) {
			flood.add(floodClient.sendAsync(streamRequest("/redis-log/stream?tail=0", "alice"),
					HttpResponse.BodyHandlers.ofInputStream()));
		}
		// During the burst, like any of its connects, this one may wait for TCP to retry it.
		long start = System.nanoTime();
		HttpResponse<String> during = ordinaryRequest(Duration.ofSeconds(30));
		Duration duringLatency = Duration.ofNanos(System.nanoTime() - start);
		List<HttpResponse<InputStream>> responses = new ArrayList<>();
		try {
			for (CompletableFuture<HttpResponse<InputStream>> response : flood) {
				responses.add(response.get(60, TimeUnit.SECONDS));
			}
			// The flood's ten streams stay open: they take ten connections and nothing from anyone else.
			start = System.nanoTime();
			HttpResponse<String> after = ordinaryRequest(Duration.ofSeconds(10));
			Duration afterLatency = Duration.ofNanos(System.nanoTime() - start);
			SseClient bob = open("/redis-log/stream?tail=0", "bob");
			long accepted = responses.stream().filter((response) -> response.statusCode() == 200).count();
			long refused = responses.stream().filter((response) -> response.statusCode() == 429).count();
			Duration worst = honestViewerLatency(bob, "User.bob", 5);
			report("500 concurrent streams of one user: %d accepted, %d refused with 429; another user's "
					+ "ordinary request answered in %d ms during the burst and %d ms with its streams open, "
					+ "their stream's worst latency %d ms", accepted, refused, duringLatency.toMillis(),
					afterLatency.toMillis(), worst.toMillis());
			assertThat(during.statusCode()).isEqualTo(200);
			assertThat(after.statusCode()).isEqualTo(200);
			assertThat(bob.status()).isEqualTo(200);
			assertThat(accepted).isEqualTo(10);
			assertThat(refused).isEqualTo(490);
			assertThat(responses).filteredOn((response) -> response.statusCode() == 429)
				.allSatisfy((response) -> assertThat(response.headers().firstValue("Retry-After")).isPresent());
			assertThat(worst).isLessThan(HONEST_LATENCY);
		}
		finally {
			for (HttpResponse<InputStream> response : responses) {
				response.body().close();
			}
		}
		await("the streams of the flood end").until(() -> this.reader.subscriberCount() == 1);
	}

	private HttpResponse<String> ordinaryRequest(Duration timeout) throws Exception {
		return http.send(HttpRequest.newBuilder(uri("/redis-log/viewer"))
			.header("Authorization", BasicAuthentication.header("bob"))
			.timeout(timeout)
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void signingOutEndsTheStreamWithAFinalEvent() throws Exception {
		HttpClient browser = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(new CookieManager())
			.build();
		String loginPage = browser.send(HttpRequest.newBuilder(uri("/login")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		HttpResponse<String> login = browser.send(form("/login", "username=alice&password=password&_csrf="
				+ csrf(loginPage)), HttpResponse.BodyHandlers.ofString());
		assertThat(login.statusCode()).isEqualTo(302);
		SseClient stream = SseClient.open(browser, uri("/redis-log/stream?tail=0"), null, Map.of());
		this.clients.add(stream);
		SseClient bob = open("/redis-log/stream?tail=0", "bob");
		assertThat(stream.status()).isEqualTo(200);
		honestViewerLatency(stream, "User.alice", 1);

		String logoutPage = browser.send(HttpRequest.newBuilder(uri("/logout")).build(),
				HttpResponse.BodyHandlers.ofString()).body();
		long loggedOut = System.nanoTime();
		browser.send(form("/logout", "_csrf=" + csrf(logoutPage)), HttpResponse.BodyHandlers.discarding());
		await().until(stream::ended);
		report("sign-out during a stream: ended %d ms later",
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loggedOut));
		assertThat(stream.endReason()).isEqualTo("unauthorized");
		assertThat(bob.ended()).isFalse();
		logAs("User.alice", 1, (i) -> "after sign-out");
		honestViewerLatency(bob, "User.bob", 1);
		assertThat(stream.events()).hasSize(1);
	}

	@Test
	void jobWhoseOwnerChangesEndsForItsFormerOwnerAtTheNextKeepalive() throws Exception {
		String job = RedisLogContext.newJobId("report");
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice")) {
			logAs(job, 1, (i) -> "started");
		}
		await().until(() -> "User.alice".equals(this.streams.owner(job)));
		SseClient alice = open("/redis-log/stream/context/" + job, "alice");
		await().until(() -> alice.events().size() == 1);
		redis.template().opsForValue().set(this.streams.channel(job).ownerKey(), "User.bob");
		await().atMost(Duration.ofSeconds(5)).until(alice::ended);
		assertThat(alice.endReason()).isEqualTo("unauthorized");
	}

	@Test
	void ownerKeysNeverGovernAUsersContext() throws Exception {
		logAs("User.alice", 2, (i) -> "alice's " + i);
		await().until(() -> streamLength("User.alice") >= 2);
		// As if bob had logged into alice's context: the key names him, and still counts for nothing.
		redis.template().opsForValue().set(this.streams.channel("User.alice").ownerKey(), "User.bob");
		assertThat(open("/redis-log/stream/context/User.alice", "bob").status()).isEqualTo(403);
		HttpResponse<Void> purge = http.send(HttpRequest.newBuilder(uri("/redis-log/stream/context/User.alice"))
			.DELETE()
			.header("Authorization", BasicAuthentication.header("bob"))
			.build(), HttpResponse.BodyHandlers.discarding());
		assertThat(purge.statusCode()).isEqualTo(403);
		assertThat(streamLength("User.alice")).isGreaterThanOrEqualTo(2);
		assertThat(open("/redis-log/stream/context/User.alice", "alice").status()).isEqualTo(200);
	}

	@Test
	void lineBreaksInAMessageStayInsideOneEvent() throws Exception {
		SseClient alice = open("/redis-log/stream?tail=0", "alice");
		await().until(() -> alice.comments().contains("connected"));
		logAs("User.alice", 1, (i) -> "real\n2026-11-29 INFO forged line\rand\r\nmore");
		await().until(() -> alice.events().size() == 1);
		assertThat(alice.events().get(0).data()).doesNotContain("\n")
			.contains("real\\n2026-11-29 INFO forged line\\rand\\r\\nmore");
	}

	private Duration honestViewerLatency(SseClient viewer, String contextId, int lines) {
		Duration worst = Duration.ZERO;
		for (int i = 0; i < lines; i++) {
			String marker = this.run + "-honest-" + UUID.randomUUID();
			long sent = System.nanoTime();
			logAs(contextId, 1, (n) -> marker);
			await("line " + i + " to the honest viewer").atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(10))
				.until(() -> viewer.events().stream().anyMatch((event) -> event.data().contains(marker)));
			Duration latency = Duration.ofNanos(System.nanoTime() - sent);
			worst = (latency.compareTo(worst) > 0) ? latency : worst;
		}
		return worst;
	}

	private int tomcatConnections() {
		TomcatWebServer server = (TomcatWebServer) ((WebServerApplicationContext) this.context).getWebServer();
		Connector connector = server.getTomcat().getConnector();
		return (int) ((AbstractProtocol<?>) connector.getProtocolHandler()).getConnectionCount();
	}

	private static long usedHeapAfterGc() {
		System.gc();
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	private Socket neverReading(String path, String user) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(1024);
		socket.connect(new InetSocketAddress("127.0.0.1", this.port), 5000);
		socket.getOutputStream().write(request(path, user));
		socket.getOutputStream().flush();
		return socket;
	}

	private static byte[] request(String path, String user) {
		return ("GET " + path + " HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\nAuthorization: "
				+ BasicAuthentication.header(user) + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	private static void abort(Socket socket) {
		try {
			socket.setSoLinger(true, 0);
			socket.close();
		}
		catch (IOException ex) {
			// Closed already.
		}
	}

	private HttpRequest streamRequest(String path, String user) {
		return HttpRequest.newBuilder(uri(path))
			.header("Accept", "text/event-stream")
			.header("Authorization", BasicAuthentication.header(user))
			.build();
	}

	private HttpRequest form(String path, String body) {
		return HttpRequest.newBuilder(uri(path))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	private static String csrf(String page) {
		Matcher matcher = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(page);
		assertThat(matcher.find()).as("a CSRF token in %s", page).isTrue();
		return matcher.group(1);
	}

	private long streamLength(String contextId) {
		Long length = redis.template().opsForStream().size(this.streams.channel(contextId).streamKey());
		return (length != null) ? length : 0;
	}

	private SseClient open(String path, String user, String... headers) throws Exception {
		Map<String, String> extra = (headers.length == 0) ? Map.of() : Map.of(headers[0], headers[1]);
		SseClient client = SseClient.open(http, uri(path), user, extra);
		this.clients.add(client);
		return client;
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	private static void logAs(String contextId, int count, IntFunction<String> message) {
		try (RedisLogContext.Scope scope = LogContexts.open(contextId)) {
			for (int i = 0; i < count; i++) {
				log.info(message.apply(i));
			}
		}
	}

	private static void report(String format, Object... args) {
		System.out.println("[attack] " + String.format(format, args));
	}

}
