package io.github.redislog.messaging;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import io.github.redislog.RedisLogContext;
import io.github.redislog.test.BasicAuthentication;
import io.github.redislog.test.LocalRabbitMq;
import io.github.redislog.test.ObservedMessages;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.QueueBuilder;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
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
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job started in a web request of one application ("orders") and continued by a
 * RabbitMQ listener of another ("billing"), two application contexts talking through the
 * RabbitMQ on {@code localhost:5672}: the listener's records land in the job's stream, and
 * the job belongs to the user who started it. Neither application has code of its own to
 * carry the context: it travels in the starter's signed message headers, or, with
 * Micrometer Tracing (Brave, on the test class path) observing both ends, as baggage.
 * Headers that anyone else writes choose nothing. Skipped
 * without a RabbitMQ there, except on CI ({@code CI=true}), where it fails.
 */
class RabbitJobHandOffIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.billing.Invoices");

	// The headers of each message billing handled, by its body.
	private static final Map<String, Map<String, Object>> received = new ConcurrentHashMap<>();

	private final String run = UUID.randomUUID().toString();

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final HttpClient http = HttpClient.newHttpClient();

	/**
	 * Spring Boot's {@code RabbitTemplate}, no observation: the starter's headers.
	 */
	@Nested
	class MessageHeaders {

		@RegisterExtension
		static final Applications applications = new Applications();

		@Test
		void listenerInAnotherApplicationLogsIntoTheJobAsItsOwner() throws Exception {
			String jobId = startJob(applications);
			assertThat(received.get(RabbitJobHandOffIntegrationTests.this.run))
				.hasEntrySatisfying(ContextHeaders.CONTEXT,
						(value) -> assertThat((String) value).matches(jobId + "\\.[0-9]+\\.[A-Za-z0-9_-]{43}"))
				.containsEntry(ContextHeaders.OWNER, "User.alice")
				.doesNotContainKey("baggage");
			assertThat(redis.template().opsForValue().get(StoredHandOffKey.REDIS_KEY)).hasSizeGreaterThanOrEqualTo(32);
		}

		@Test
		void headersWrittenByHandChooseNoStreamAndClaimNoJob() throws Exception {
			String run = RabbitJobHandOffIntegrationTests.this.run;
			String unopenedJob = RedisLogContext.newJobId("order");
			RefusedContexts refused = applications.billing().getBean(RefusedContexts.class);
			long missing = refused.count(RefusalReason.MISSING_SIGNATURE);
			long bad = refused.count(RefusalReason.BAD_SIGNATURE);
			publishByHand(applications.queue, "as-alice " + run, Map.of(ContextHeaders.CONTEXT, "User.alice"));
			publishByHand(applications.queue, "in-job " + run,
					Map.of(ContextHeaders.CONTEXT, unopenedJob, ContextHeaders.OWNER, "User.alice"));
			publishByHand(applications.queue, "signed-by-hand " + run, Map.of(ContextHeaders.CONTEXT,
					unopenedJob + "." + Instant.now().getEpochSecond() + "." + "A".repeat(43), ContextHeaders.OWNER,
					"User.alice"));

			await().until(() -> ofThisRun("stream:logs:global").size() == 3);
			assertThat(ofThisRun("stream:logs:global"))
				.allSatisfy((payload) -> assertThat(payload).doesNotContainKey("context"));
			assertThat(ofThisRun("stream:logs:User.alice")).isEmpty();
			assertThat(ofThisRun("stream:logs:" + unopenedJob)).isEmpty();
			assertThat(redis.template().hasKey("owner:logs:" + unopenedJob)).isFalse();
			assertThat(refused.count(RefusalReason.MISSING_SIGNATURE)).isEqualTo(missing + 2);
			assertThat(refused.count(RefusalReason.BAD_SIGNATURE)).isEqualTo(bad + 1);
		}

		@Test
		void messageSentWithoutContextIsHandledInNone() {
			RabbitTemplate rabbit = applications.orders().getBean(RabbitTemplate.class);
			String jobId = RedisLogContext.newJobId("order");
			try (RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
				// A context left on the consumer thread by a listener would show in the next.
				rabbit.convertAndSend(applications.queue, "earlier " + RabbitJobHandOffIntegrationTests.this.run);
			}
			rabbit.convertAndSend(applications.queue, "anonymous " + RabbitJobHandOffIntegrationTests.this.run);

			await().until(() -> ofThisRun("stream:logs:global").size() == 2);
			assertThat(ofThisRun("stream:logs:global")).extracting((payload) -> payload.get("message"))
				.containsExactly("invoicing earlier " + RabbitJobHandOffIntegrationTests.this.run,
						"invoicing anonymous " + RabbitJobHandOffIntegrationTests.this.run);
			assertThat(ofThisRun("stream:logs:global").get(0)).containsEntry("context", jobId);
			assertThat(ofThisRun("stream:logs:global").get(1)).doesNotContainKey("context");
		}

	}

	/**
	 * Sending and handling observed, orders sending with a template of its own, which
	 * the starter adds no header to: the context travels as W3C baggage.
	 */
	@Nested
	class TracingBaggage {

		@RegisterExtension
		static final Applications applications = new Applications(
				"spring.rabbitmq.listener.simple.observation-enabled=true", "test.observed-template=true");

		@Test
		void listenerInAnotherApplicationLogsIntoTheJobAsItsOwner() throws Exception {
			String jobId = startJob(applications);
			assertThat(received.get(RabbitJobHandOffIntegrationTests.this.run)).hasEntrySatisfying("baggage",
					(baggage) -> assertThat((String) baggage).contains(ContextHeaders.CONTEXT + "=" + jobId)
						.contains(ContextHeaders.OWNER + "=User.alice"));
		}

		@Test
		void baggageFromAnAnonymousClientChoosesNoStreamHereNorWhereItsMessageGoes() throws Exception {
			String run = RabbitJobHandOffIntegrationTests.this.run;
			HttpRequest.Builder request = HttpRequest.newBuilder(applications.uri("/public?token=" + run));
			ObservedMessages.requestClaimingToBe("alice").forEach(request::header);
			send(request.GET());

			await().until(() -> ofThisRun("stream:logs:global").size() == 2);
			assertThat(ofThisRun("stream:logs:global")).extracting((payload) -> payload.get("message"))
				.containsExactlyInAnyOrder("browsing " + run, "invoicing " + run);
			assertThat(ofThisRun("stream:logs:global")).allSatisfy((payload) -> assertThat(payload).doesNotContainKey("context"));
			assertThat(ofThisRun("stream:logs:User.alice")).isEmpty();
			assertThat(received.get(run)).allSatisfy((name, value) -> assertThat(String.valueOf(value)).doesNotContain("alice"));
		}

	}

	/**
	 * Signed headers are restored for as long as the maximum age, and no longer.
	 */
	@Nested
	class MaximumAge {

		@RegisterExtension
		static final Applications applications = new Applications("redis-log.propagation.max-age=2s");

		@Test
		void capturedHeadersReplayedAfterTheMaximumAgeAreRefused() throws Exception {
			String run = RabbitJobHandOffIntegrationTests.this.run;
			String jobId = startJob(applications);
			Map<String, Object> captured = new HashMap<>(received.get(run));
			long issued = Long.parseLong(((String) captured.get(ContextHeaders.CONTEXT)).split("\\.")[1]);
			RefusedContexts refused = applications.billing().getBean(RefusedContexts.class);

			await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().getEpochSecond() > issued + 2);
			publishByHand(applications.queue, "replayed " + run, captured);

			await().until(() -> refused.count(RefusalReason.EXPIRED) == 1);
			await().until(() -> ofThisRun("stream:logs:global").size() == 2);
			assertThat(ofThisRun("stream:logs:" + jobId)).singleElement()
				.satisfies((payload) -> assertThat(payload).containsEntry("message", "invoicing " + run));
		}

	}

	/**
	 * Both applications sign with a configured key, and nothing needs Redis for it.
	 */
	@Nested
	class ConfiguredKey {

		@RegisterExtension
		static final Applications applications = new Applications("redis-log.propagation.key=" + "c".repeat(32));

		@Test
		void listenerInAnotherApplicationLogsIntoTheJobAsItsOwner() throws Exception {
			startJob(applications);
		}

	}

	/**
	 * Orders still signs with the old key, billing signs with the new one and accepts the
	 * old one as the previous key: the hand-off goes on during the rotation.
	 */
	@Nested
	class KeyRotation {

		@RegisterExtension
		static final Applications applications = new Applications(
				"redis-log.propagation.key=" + "n".repeat(32), "redis-log.propagation.previous-key=" + "o".repeat(32))
			.withOrders("redis-log.propagation.key=" + "o".repeat(32));

		@Test
		void listenerInAnotherApplicationLogsIntoTheJobAsItsOwner() throws Exception {
			startJob(applications);
		}

	}

	// A message published by a plain AMQP client, as anyone who may publish to the queue can.
	private static void publishByHand(String queue, String body, Map<String, Object> headers) throws Exception {
		com.rabbitmq.client.ConnectionFactory factory = new com.rabbitmq.client.ConnectionFactory();
		factory.setHost("localhost");
		factory.setPort(5672);
		try (com.rabbitmq.client.Connection connection = factory.newConnection();
				Channel channel = connection.createChannel()) {
			channel.basicPublish("", queue, new AMQP.BasicProperties.Builder().headers(headers).build(),
					body.getBytes(StandardCharsets.UTF_8));
		}
	}

	// Orders logs nothing inside the job: its owner comes with the message.
	private String startJob(Applications applications) throws Exception {
		String jobId = send(HttpRequest.newBuilder(applications.uri("/orders?token=" + this.run))
			.header("Authorization", BasicAuthentication.header("alice"))
			.POST(HttpRequest.BodyPublishers.noBody()));
		assertThat(jobId).startsWith("order_");

		await().until(() -> !ofThisRun("stream:logs:" + jobId).isEmpty());
		assertThat(ofThisRun("stream:logs:" + jobId)).singleElement()
			.satisfies((payload) -> assertThat(payload).containsEntry("context", jobId)
				.containsEntry("logger", "com.example.billing.Invoices")
				.containsEntry("message", "invoicing " + this.run));
		assertThat(redis.template().opsForValue().get("owner:logs:" + jobId)).isEqualTo("User.alice");
		return jobId;
	}

	private List<Map<String, Object>> ofThisRun(String streamKey) {
		return this.streams.payloadsMentioning(streamKey, this.run);
	}

	private String send(HttpRequest.Builder request) throws Exception {
		HttpResponse<String> response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	/**
	 * Orders and billing, started before a class's tests and closed after them, on a
	 * queue of their own, which RabbitMQ deletes once unused.
	 */
	static final class Applications implements BeforeAllCallback, AfterAllCallback {

		private final String queue = "redis-log-test-" + UUID.randomUUID();

		private final String[] properties;

		private String[] ordersProperties = {};

		private @Nullable ConfigurableApplicationContext billing;

		private @Nullable ConfigurableApplicationContext orders;

		Applications(String... properties) {
			this.properties = properties;
		}

		Applications withOrders(String... properties) {
			this.ordersProperties = properties;
			return this;
		}

		@Override
		public void beforeAll(ExtensionContext context) {
			LocalRabbitMq.assumeRunning();
			this.billing = application(Billing.class).web(WebApplicationType.NONE).run();
			this.orders = application(Orders.class).properties("server.port=0").properties(this.ordersProperties).run();
		}

		private SpringApplicationBuilder application(Class<?> source) {
			return new SpringApplicationBuilder(source)
				.properties("spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
						"redis-log.pattern=%m", "test.queue=" + this.queue)
				.properties(LocalRabbitMq.properties())
				.properties(this.properties);
		}

		ConfigurableApplicationContext billing() {
			assertThat(this.billing).isNotNull();
			return this.billing;
		}

		ConfigurableApplicationContext orders() {
			assertThat(this.orders).isNotNull();
			return this.orders;
		}

		URI uri(String path) {
			int port = ((WebServerApplicationContext) orders()).getWebServer().getPort();
			return URI.create("http://localhost:" + port + path);
		}

		@Override
		public void afterAll(ExtensionContext context) {
			if (this.orders != null) {
				this.orders.close();
			}
			if (this.billing != null) {
				this.billing.close();
			}
		}

	}

	/**
	 * The application that starts a job in a web request and hands it to billing.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(OrderController.class)
	static class Orders {

		// A template of the application's own, which the starter adds no header to.
		@Bean
		@ConditionalOnBooleanProperty("test.observed-template")
		RabbitTemplate rabbitTemplate(ConnectionFactory connectionFactory) {
			RabbitTemplate template = new RabbitTemplate(connectionFactory);
			template.setObservationEnabled(true);
			return template;
		}

		@Bean
		InMemoryUserDetailsManager users() {
			return new InMemoryUserDetailsManager(
					User.withUsername("alice").password("{noop}password").roles("USER").build());
		}

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			return http
				.authorizeHttpRequests(
						(requests) -> requests.requestMatchers("/public").permitAll().anyRequest().authenticated())
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
		String order(@RequestParam String token) {
			String jobId = RedisLogContext.newJobId("order");
			try (RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
				this.rabbit.convertAndSend(this.queue, token);
			}
			return jobId;
		}

		// Sends a message while handling an anonymous request.
		@GetMapping("/public")
		String browse(@RequestParam String token) {
			log.info("browsing {}", token);
			this.rabbit.convertAndSend(this.queue, token);
			return "ok";
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
		void invoice(Message message) {
			String token = new String(message.getBody(), StandardCharsets.UTF_8);
			received.put(token, message.getMessageProperties().getHeaders());
			log.info("invoicing {}", token);
		}

	}

}
