package io.github.redislog.messaging;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A job started in a web request of one application ("orders") and continued by a
 * RabbitMQ listener of another ("billing"), two application contexts talking through the
 * RabbitMQ on {@code localhost:5672}: the listener's records land in the job's stream, and
 * the job belongs to the user who started it. Neither application has code of its own to
 * carry the context. Skipped without a RabbitMQ there, except on CI ({@code CI=true}),
 * where it fails.
 */
class RabbitJobHandOffIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.billing.Invoices");

	private final String run = UUID.randomUUID().toString();

	// A queue of this class's own, which RabbitMQ deletes once unused.
	private static final String QUEUE = "redis-log-test-" + UUID.randomUUID();

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final HttpClient http = HttpClient.newHttpClient();

	private static @Nullable ConfigurableApplicationContext billing;

	private static @Nullable ConfigurableApplicationContext orders;

	@BeforeAll
	static void startBothApplications() {
		assumeRabbitMqRuns();
		String[] properties = { "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"redis-log.pattern=%m", "test.queue=" + QUEUE, "spring.rabbitmq.host=localhost",
				"spring.rabbitmq.port=5672" };
		billing = new SpringApplicationBuilder(Billing.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		orders = new SpringApplicationBuilder(Orders.class).properties(properties)
			.properties("server.port=0")
			.run();
	}

	// Skipped on a machine without RabbitMQ, except on CI (CI=true), where it fails.
	private static void assumeRabbitMqRuns() {
		boolean reachable;
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", 5672), 1000);
			reachable = true;
		}
		catch (IOException ex) {
			reachable = false;
		}
		if ("true".equals(System.getenv("CI"))) {
			assertThat(reachable).as("RabbitMQ on localhost:5672").isTrue();
		}
		assumeThat(reachable).as("RabbitMQ on localhost:5672").isTrue();
	}

	@AfterAll
	static void stopBothApplications() {
		if (orders != null) {
			orders.close();
		}
		if (billing != null) {
			billing.close();
		}
	}

	@Test
	void listenerInAnotherApplicationLogsIntoTheJobAsItsOwner() throws Exception {
		String jobId = post("/orders?token=" + this.run, "alice");
		assertThat(jobId).startsWith("order_");

		await().until(() -> !ofThisRun("stream:logs:" + jobId).isEmpty());
		// Orders logged nothing inside the job: its owner comes with the message.
		assertThat(ofThisRun("stream:logs:" + jobId)).singleElement()
			.satisfies((payload) -> assertThat(payload).containsEntry("context", jobId)
				.containsEntry("logger", "com.example.billing.Invoices")
				.containsEntry("message", "invoicing " + this.run));
		assertThat(redis.template().opsForValue().get("owner:logs:" + jobId)).isEqualTo("User.alice");
		assertThat(ofThisRun("stream:logs:User.alice")).extracting((payload) -> payload.get("message"))
			.containsExactly("ordering " + this.run);
	}

	@Test
	void messageSentWithoutContextIsHandledInNone() {
		assertThat(orders).isNotNull();
		RabbitTemplate rabbit = orders.getBean(RabbitTemplate.class);
		String jobId = RedisLogContext.newJobId("order");
		try (RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
			// A context left on the consumer thread by a listener would show in the next.
			rabbit.convertAndSend(QUEUE, "earlier " + this.run);
		}
		rabbit.convertAndSend(QUEUE, "anonymous " + this.run);

		await().until(() -> ofThisRun("stream:logs:global").size() == 2);
		assertThat(ofThisRun("stream:logs:global")).extracting((payload) -> payload.get("message"))
			.containsExactly("invoicing earlier " + this.run, "invoicing anonymous " + this.run);
		assertThat(ofThisRun("stream:logs:global").get(0)).containsEntry("context", jobId);
		assertThat(ofThisRun("stream:logs:global").get(1)).doesNotContainKey("context");
	}

	private List<Map<String, Object>> ofThisRun(String streamKey) {
		return this.streams.payloads(streamKey)
			.stream()
			.filter((payload) -> ((String) payload.get("message")).contains(this.run))
			.toList();
	}

	private String post(String path, String user) throws Exception {
		assertThat(orders).isNotNull();
		int port = ((WebServerApplicationContext) orders).getWebServer().getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Authorization", BasicAuthentication.header(user))
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/**
	 * The application that starts a job in a web request and hands it to billing.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(OrderController.class)
	static class Orders {

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.httpBasic(Customizer.withDefaults())
				.csrf((csrf) -> csrf.disable())
				.build();
		}

	}

	@RestController
	static class OrderController {

		private static final Logger log = LoggerFactory.getLogger("com.example.orders.Orders");

		private final RabbitTemplate rabbit;

		private final String queue;

		OrderController(RabbitTemplate rabbit, Environment environment) {
			this.rabbit = rabbit;
			this.queue = environment.getRequiredProperty("test.queue");
		}

		@PostMapping("/orders")
		String order(@RequestParam String token, Principal principal) {
			log.info("ordering {}", token);
			String jobId = RedisLogContext.newJobId("order");
			try (RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
				this.rabbit.convertAndSend(this.queue, token);
			}
			return jobId;
		}

	}

	/**
	 * The application that continues the job when the message arrives.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(InvoiceListener.class)
	static class Billing {

		@Bean
		Queue invoices(Environment environment) {
			return QueueBuilder.nonDurable(environment.getRequiredProperty("test.queue"))
				.autoDelete()
				.expires(60_000)
				.build();
		}

	}

	@Component
	static class InvoiceListener {

		@RabbitListener(queues = "${test.queue}")
		void invoice(String token) {
			log.info("invoicing {}", token);
		}

	}

}
