package io.github.redislog.servlet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
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
 * Two users of a secured web application, over real HTTP: each user's stream holds only
 * that user's records, the global stream holds everyone's.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, classes = TwoUsersIntegrationTests.TestApplication.class,
		properties = "redis-log.pattern=%m")
// Closed after each test: the class's Redis stops before a context cached for the class would close.
@DirtiesContext(classMode = ClassMode.AFTER_EACH_TEST_METHOD)
class TwoUsersIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.web.GreetingController");

	private final HttpClient http = HttpClient.newHttpClient();

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final String run = UUID.randomUUID().toString();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void redisProperties(DynamicPropertyRegistry registry) {
		redis.registerProperties(registry);
	}

	@Test
	void eachUserStreamHoldsOnlyThatUsersRecords() throws Exception {
		for (int i = 0; i < 5; i++) {
			assertThat(get("/hello?token=" + this.run + "-alice-" + i, "alice")).isEqualTo(200);
			assertThat(get("/hello?token=" + this.run + "-bob-" + i, "bob")).isEqualTo(200);
		}
		assertThat(get("/public?token=" + this.run + "-anonymous", null)).isEqualTo(200);
		await().until(() -> ofThisRun("stream:logs:global").size() == 11);

		List<Map<String, Object>> alice = ofThisRun("stream:logs:User.alice");
		assertThat(alice).hasSize(5)
			.allSatisfy((payload) -> assertThat(payload).containsEntry("context", "User.alice")
				.containsEntry("logger", "com.example.web.GreetingController")
				.containsEntry("level", "INFO"))
			.extracting((payload) -> (String) payload.get("message"))
			.allSatisfy((message) -> assertThat(message).startsWith("hello alice " + this.run + "-alice-"));
		assertThat(ofThisRun("stream:logs:User.bob")).hasSize(5)
			.extracting((payload) -> (String) payload.get("message"))
			.allSatisfy((message) -> assertThat(message).startsWith("hello bob " + this.run + "-bob-"));
		assertThat(ofThisRun("stream:logs:global")).extracting((payload) -> (String) payload.get("message"))
			.contains("anonymous " + this.run + "-anonymous");
		assertThat(redis.template().getExpire("stream:logs:User.alice")).isBetween(3500L, 3600L);
		assertThat(redis.template().getExpire("stream:logs:global")).isBetween(86300L, 86400L);
	}

	@Test
	void unauthenticatedRequestIsRefusedAndRoutedToNoUser() throws Exception {
		assertThat(get("/hello?token=" + this.run, null)).isEqualTo(401);
		assertThat(get("/public?token=" + this.run + "-anon", null)).isEqualTo(200);
		await().until(() -> ofThisRun("stream:logs:global").size() == 1);
		assertThat(this.streams.keys("stream:logs:User.*")).allSatisfy((key) -> assertThat(ofThisRun(key)).isEmpty());
	}

	private List<Map<String, Object>> ofThisRun(String streamKey) {
		return this.streams.payloadsMentioning(streamKey, this.run);
	}

	private int get(String path, String user) throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path));
		if (user != null) {
			request.header("Authorization", BasicAuthentication.header(user));
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(GreetingController.class)
	static class TestApplication {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build(),
					User.withUsername("bob").password("{noop}password").roles("USER").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http
				.authorizeHttpRequests((requests) -> requests.requestMatchers("/public").permitAll()
					.anyRequest()
					.authenticated())
				.httpBasic(Customizer.withDefaults())
				.build();
		}

	}

	@RestController
	static class GreetingController {

		@GetMapping("/hello")
		String hello(@RequestParam String token, Principal principal) {
			log.info("hello {} {}", principal.getName(), token);
			return "hello";
		}

		@GetMapping("/public")
		String anonymous(@RequestParam String token) {
			log.info("anonymous {}", token);
			return "hello";
		}

	}

}
