package io.github.redislog.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.servlet.Filter;

import io.github.redislog.RedisLogContext;
import io.github.redislog.support.TroubleReporter;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.SseClient;
import io.github.redislog.test.TestRedis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.RedisStreamCommands;
import org.springframework.data.redis.connection.stream.StreamRecords;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared reader under failure and load, over real HTTP against a real Redis: a read
 * that throws an {@code Error}, a viewer joining a busy stream, a stream that fails to
 * start, and the memory budget of all clients together.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		classes = { LiveViewTestApplication.class, LiveViewReaderTests.Faults.class },
		properties = { "redis-log.pattern=%m", "redis-log.web.keepalive=200ms", "redis-log.web.client-buffer=1MB",
				"redis-log.web.total-buffer=3MB", "redis-log.web.max-streams-per-user=2",
				"spring.mvc.servlet.load-on-startup=1" })
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class LiveViewReaderTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final HttpClient http = SseClient.httpClient();

	private final String run = UUID.randomUUID().toString();

	private final List<SseClient> clients = new ArrayList<>();

	@LocalServerPort
	private int port;

	@Autowired
	private LogStreams streams;

	@Autowired
	private LogStreamReader reader;

	@Autowired
	private LogStreamHealthIndicator health;

	@Autowired
	private Faults faults;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@AfterEach
	void disconnect() {
		this.clients.forEach(SseClient::close);
	}

	@Test
	void aReadThatThrowsAnErrorReplacesTheReaderAndViewersGoOn() throws Exception {
		String job = RedisLogContext.newJobId("import");
		// Replayed or live, whichever comes first: the test does not depend on when the viewer joins.
		SseClient client = open("/redis-log/stream/context/" + job, "admin");
		add(job, "before");
		await().until(() -> client.events().size() == 1);
		this.faults.failNextRead();
		await().until(() -> this.reader.readerFailures() == 1);
		add(job, "after");
		await().until(() -> client.events().size() == 2);
		assertThat(client.events().get(1).data()).contains("after");
		assertThat(client.ended()).isFalse();
		Health health = this.health.health(true);
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("readerFailures", 1L);
		assertThat(String.valueOf(health.getDetails().get("lastReaderFailure"))).contains("injected by the test");
	}

	@Test
	void aViewerJoiningABusyWatchedStreamGoesLiveWithinASecond() throws Exception {
		String job = RedisLogContext.newJobId("busy");
		ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor();
		try {
			writer.scheduleAtFixedRate(() -> add(job, "tick"), 0, 20, TimeUnit.MILLISECONDS);
			SseClient first = open("/redis-log/stream/context/" + job + "?tail=0", "admin");
			await().until(() -> first.events().size() >= 10);
			long rangesBefore = xrangeCalls();
			long joinStarted = System.nanoTime();
			SseClient second = open("/redis-log/stream/context/" + job + "?tail=0", "admin");
			// Live: the second viewer gets the entries the reader fans out, with no range reads growing.
			await().atMost(Duration.ofSeconds(1)).until(() -> !second.events().isEmpty());
			long rangesLive = xrangeCalls();
			long joinMillis = (System.nanoTime() - joinStarted) / 1_000_000;
			int seen = second.events().size();
			await().until(() -> second.events().size() >= seen + 25);
			assertThat(xrangeCalls()).isEqualTo(rangesLive);
			assertThat(rangesLive - rangesBefore).isLessThanOrEqualTo(3);
			List<String> ids = second.ids();
			assertThat(first.ids()).containsSequence(ids.subList(0, ids.size() - 1));
			System.out.printf("Joined a stream written every 20 ms in %d ms with %d XRANGE call(s)%n", joinMillis,
					rangesLive - rangesBefore);
		}
		finally {
			writer.shutdownNow();
		}
	}

	@Test
	void aStreamThatFailsToStartGivesItsPlaceBack() throws Exception {
		// The global stream sits behind a filter that does not support async requests.
		for (int i = 0; i < 5; i++) {
			assertThat(status("/redis-log/stream/global", "admin")).isEqualTo(500);
		}
		SseClient client = open("/redis-log/stream/context/" + RedisLogContext.newJobId("after") + "?tail=0",
				"admin");
		assertThat(client.status()).isEqualTo(200);
	}

	@Test
	void streamsBeyondTheMemoryBudgetAreRefused() throws Exception {
		// 3 MB for all clients, 1 MB for each: the fourth stream is refused whoever asks.
		List<Integer> statuses = new ArrayList<>();
		for (String user : List.of("alice", "bob", "admin", "alice")) {
			statuses.add(open("/redis-log/stream/context/User." + user + "?tail=0", user).status());
		}
		assertThat(statuses).containsExactly(200, 200, 200, 429);
	}

	private void add(String contextId, String message) {
		String json = "{\"message\":\"" + this.run + " " + message + "\",\"level\":\"INFO\"}";
		redis.template()
			.opsForStream()
			.add(StreamRecords.string(Map.of("data", json)).withStreamKey(this.streams.channel(contextId).streamKey()));
	}

	private long xrangeCalls() {
		Properties stats = redis.template().execute((RedisConnection connection) -> connection.serverCommands()
			.info("commandstats"));
		String xrange = stats.getProperty("cmdstat_xrange");
		return (xrange != null) ? Long.parseLong(xrange.replaceAll("^calls=([0-9]+),.*$", "$1")) : 0;
	}

	private SseClient open(String path, String user) throws Exception {
		SseClient client = SseClient.open(http, URI.create("http://localhost:" + this.port + path), user, Map.of());
		this.clients.add(client);
		return client;
	}

	private int status(String path, String user) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Authorization", BasicAuthentication.header(user))
			.build();
		return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * Faults put in the application's way: a reader whose next read can be made to throw
	 * an {@code Error}, and a filter without async support before the global stream.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class Faults {

		private final AtomicBoolean failNextRead = new AtomicBoolean();

		void failNextRead() {
			this.failNextRead.set(true);
		}

		@Bean
		LogStreamReader faultyLogStreamReader(RedisConnectionFactory connectionFactory, LogStreams streams,
				TroubleReporter troubleReporter) {
			RedisConnectionFactory faulty = wrap(RedisConnectionFactory.class, connectionFactory, (method, result) -> {
				if (!method.getName().equals("getConnection")) {
					return result;
				}
				return wrap(RedisConnection.class, (RedisConnection) result,
						(connectionMethod, commands) -> connectionMethod.getName().equals("streamCommands")
								? failingReads((RedisStreamCommands) commands) : commands);
			});
			return new LogStreamReader(faulty, streams, troubleReporter, Duration.ofMillis(500),
					Duration.ofMillis(200), 500, DataSize.ofMegabytes(1).toBytes(), 2, Duration.ofSeconds(10));
		}

		@Bean
		FilterRegistrationBean<Filter> synchronousOnlyFilter() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
					(request, response, chain) -> chain.doFilter(request, response));
			registration.setAsyncSupported(false);
			registration.addUrlPatterns("/redis-log/stream/global");
			return registration;
		}

		private RedisStreamCommands failingReads(RedisStreamCommands commands) {
			return (RedisStreamCommands) Proxy.newProxyInstance(getClass().getClassLoader(),
					new Class<?>[] { RedisStreamCommands.class }, (proxy, method, args) -> {
						if (method.getName().equals("xRead") && this.failNextRead.compareAndSet(true, false)) {
							throw new StackOverflowError("injected by the test");
						}
						return invoke(method, commands, args);
					});
		}

		private static <T> T wrap(Class<T> type, T target, Around around) {
			return type.cast(Proxy.newProxyInstance(Faults.class.getClassLoader(), new Class<?>[] { type },
					(proxy, method, args) -> around.apply(method, invoke(method, target, args))));
		}

		private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
			try {
				return method.invoke(target, args);
			}
			catch (InvocationTargetException ex) {
				throw ex.getCause();
			}
		}

		@FunctionalInterface
		private interface Around {

			Object apply(Method method, Object result);

		}

	}

}
