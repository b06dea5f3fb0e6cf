package io.github.redislog.webflux;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.annotation.DirtiesContext.ClassMode;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two users of a secured WebFlux application, over real HTTP, whose pipelines log on the
 * event loop, on {@code boundedElastic} and further down the chain on other schedulers:
 * each user's stream holds exactly that user's records. The application has no code of
 * its own to carry the context.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = WebFluxTwoUsersIntegrationTests.TestApplication.class,
		properties = { "redis-log.pattern=%m", "spring.main.web-application-type=reactive" })
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class WebFluxTwoUsersIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.reactive.Reports");

	private final HttpClient http = HttpClient.newHttpClient();

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final String run = UUID.randomUUID().toString();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@AfterAll
	static void restoreReactorsDefault() {
		// The application turned it on for the whole JVM; the other test classes get the default.
		Hooks.disableAutomaticContextPropagation();
	}

	@Test
	void eachUsersPipelineLogsIntoThatUsersStreamOnEveryScheduler() {
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			responses.add(send("/report?token=" + this.run + "-alice-" + i, "alice"));
			responses.add(send("/report?token=" + this.run + "-bob-" + i, "bob"));
			responses.add(send("/public?token=" + this.run + "-nobody-" + i, null));
		}
		responses.forEach((response) -> assertThat(response.join().statusCode()).isEqualTo(200));
		await().until(() -> ofThisRun("stream:logs:global").size() == 20 * 4 + 10 * 2);

		for (String user : List.of("alice", "bob")) {
			List<String> messages = ofThisRun("stream:logs:User." + user).stream()
				.map((payload) -> (String) payload.get("message"))
				.toList();
			assertThat(messages).as(user)
				.hasSize(40)
				.allSatisfy((message) -> assertThat(message).contains(this.run + "-" + user + "-"));
			assertThat(messages).filteredOn((message) -> message.startsWith("elastic "))
				.hasSize(10)
				.allSatisfy((message) -> assertThat(message).contains("boundedElastic"));
			assertThat(messages).filteredOn((message) -> message.startsWith("parallel "))
				.hasSize(10)
				.allSatisfy((message) -> assertThat(message).contains("parallel"));
			assertThat(messages).filteredOn((message) -> message.startsWith("single "))
				.hasSize(10)
				.allSatisfy((message) -> assertThat(message).contains("single"));
		}
		assertThat(ofThisRun("stream:logs:global")).filteredOn((payload) -> payload.get("message")
			.toString()
			.contains("-nobody-")).hasSize(20).allSatisfy((payload) -> assertThat(payload).doesNotContainKey("context"));
	}

	private List<Map<String, Object>> ofThisRun(String streamKey) {
		return this.streams.payloadsMentioning(streamKey, this.run);
	}

	private CompletableFuture<HttpResponse<String>> send(String path, @Nullable String user) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		return this.http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(ReportController.class)
	static class TestApplication {

		@Bean
		MapReactiveUserDetailsService users() {
			return new MapReactiveUserDetailsService(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			return http
				.authorizeExchange((exchanges) -> exchanges.pathMatchers("/public").permitAll().anyExchange().authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

	}

	@RestController
	static class ReportController {

		/**
		 * Logs on the thread that runs the handler, on {@code boundedElastic}, after a
		 * delay on {@code parallel}, and on {@code single}.
		 */
		@GetMapping("/report")
		Mono<String> report(@RequestParam String token) {
			log.info("handler {}", token);
			return Mono.fromCallable(() -> {
				log.info("elastic {} on {}", token, Thread.currentThread().getName());
				return token;
			})
				.subscribeOn(Schedulers.boundedElastic())
				.delayElement(Duration.ofMillis(5))
				.doOnNext((value) -> log.info("parallel {} on {}", value, Thread.currentThread().getName()))
				.publishOn(Schedulers.single())
				.map((value) -> {
					log.info("single {} on {}", value, Thread.currentThread().getName());
					return value;
				});
		}

		@GetMapping("/public")
		Mono<String> anonymous(@RequestParam String token) {
			log.info("handler {}", token);
			return Mono.fromCallable(() -> {
				log.info("elastic {} on {}", token, Thread.currentThread().getName());
				return token;
			}).subscribeOn(Schedulers.boundedElastic());
		}

	}

}
