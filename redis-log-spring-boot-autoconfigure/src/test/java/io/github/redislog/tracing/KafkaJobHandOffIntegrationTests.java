package io.github.redislog.tracing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.messaging.RefusalReason;
import io.github.redislog.messaging.RefusedContexts;
import io.github.redislog.test.ObservedMessages;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.test.EmbeddedKafkaBroker;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job handed from one application ("orders") to another ("billing") through Kafka, with
 * Micrometer Tracing (Brave here, OpenTelemetry in {@link KafkaJobHandOffOpenTelemetryTests})
 * observing the template and the listener container: the same baggage route as for
 * RabbitMQ, with no Kafka code of the starter's; baggage that a plain producer writes by
 * hand chooses nothing. The broker is Kafka's own, run in this JVM by Spring Kafka's test
 * support.
 */
class KafkaJobHandOffIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.billing.Invoices");

	private static final String TOPIC = "invoices";

	private static final EmbeddedKafkaBroker kafka = new EmbeddedKafkaKraftBroker(1, 1, TOPIC);

	// The headers of each record billing handled, by its value.
	private static final Map<String, Map<String, String>> received = new ConcurrentHashMap<>();

	private static @Nullable ConfigurableApplicationContext billing;

	private static @Nullable ConfigurableApplicationContext orders;

	private final String run = UUID.randomUUID().toString();

	private final RedisStreams streams = new RedisStreams(redis.template());

	@BeforeAll
	static void startBrokerAndBothApplications() {
		kafka.afterPropertiesSet();
		String[] properties = { "spring.data.redis.host=" + redis.host(), "spring.data.redis.port=" + redis.port(),
				"redis-log.pattern=%m", "spring.kafka.bootstrap-servers=" + kafka.getBrokersAsString(),
				"spring.kafka.template.observation-enabled=true", "spring.kafka.listener.observation-enabled=true",
				"spring.kafka.consumer.auto-offset-reset=earliest", "spring.kafka.consumer.group-id=billing" };
		billing = new SpringApplicationBuilder(Billing.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
		orders = new SpringApplicationBuilder(Orders.class).web(WebApplicationType.NONE)
			.properties(properties)
			.run();
	}

	@AfterAll
	static void stopBothApplicationsAndBroker() {
		try {
			if (orders != null) {
				orders.close();
			}
			if (billing != null) {
				billing.close();
			}
		}
		finally {
			kafka.destroy();
		}
	}

	@Test
	void listenerInAnotherApplicationLogsIntoTheJobAsItsOwner() throws Exception {
		String jobId = RedisLogContext.newJobId("order");
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
				RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
			send(this.run);
		}

		await().until(() -> !ofThisRun("stream:logs:" + jobId).isEmpty());
		assertThat(ofThisRun("stream:logs:" + jobId)).singleElement()
			.satisfies((payload) -> assertThat(payload).containsEntry("context", jobId)
				.containsEntry("logger", "com.example.billing.Invoices"));
		assertThat(redis.template().opsForValue().get("owner:logs:" + jobId)).isEqualTo("User.alice");
		assertThat(received.get(this.run)).hasEntrySatisfying("baggage",
				(baggage) -> assertThat(baggage).contains(ContextHeaders.CONTEXT + "=" + jobId)
					.contains(ContextHeaders.OWNER + "=User.alice"));
	}

	@Test
	void recordSentWithoutContextIsHandledInNone() throws Exception {
		String jobId = RedisLogContext.newJobId("order");
		try (RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
			// A context left on the consumer thread by a listener would show in the next.
			send("earlier " + this.run);
		}
		send("anonymous " + this.run);

		await().until(() -> ofThisRun("stream:logs:global").size() == 2);
		assertThat(ofThisRun("stream:logs:global")).extracting((payload) -> payload.get("message"))
			.containsExactly("invoicing earlier " + this.run, "invoicing anonymous " + this.run);
		assertThat(ofThisRun("stream:logs:global").get(0)).containsEntry("context", jobId);
		assertThat(ofThisRun("stream:logs:global").get(1)).doesNotContainKey("context");
	}

	@Test
	void recordWithBaggageWrittenByHandIsHandledInNoContextAndCounted() throws Exception {
		assertThat(billing).isNotNull();
		RefusedContexts refused = billing.getBean(RefusedContexts.class);
		long before = refused.count(RefusalReason.MISSING_SIGNATURE);
		ProducerRecord<String, String> forged = new ProducerRecord<>(TOPIC, "forged " + this.run);
		ObservedMessages.requestClaimingToBe("alice")
			.forEach((name, value) -> forged.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
		try (KafkaProducer<String, String> producer = new KafkaProducer<>(
				Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.getBrokersAsString()), new StringSerializer(),
				new StringSerializer())) {
			producer.send(forged).get(30, TimeUnit.SECONDS);
		}

		await().until(() -> ofThisRun("stream:logs:global").size() == 1);
		assertThat(ofThisRun("stream:logs:global")).singleElement()
			.satisfies((payload) -> assertThat(payload).containsEntry("message", "invoicing forged " + this.run)
				.doesNotContainKey("context"));
		assertThat(ofThisRun("stream:logs:User.alice")).isEmpty();
		assertThat(refused.count(RefusalReason.MISSING_SIGNATURE)).isGreaterThan(before);
	}

	@SuppressWarnings("unchecked")
	private void send(String value) throws Exception {
		assertThat(orders).isNotNull();
		orders.getBean(KafkaTemplate.class).send(TOPIC, value).get(30, TimeUnit.SECONDS);
	}

	private List<Map<String, Object>> ofThisRun(String streamKey) {
		return this.streams.payloadsMentioning(streamKey, this.run);
	}

	/**
	 * The application that hands jobs to billing.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Orders {

	}

	/**
	 * The application that continues the job when the record arrives.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@Import(InvoiceListener.class)
	static class Billing {

	}

	@Component
	static class InvoiceListener {

		@KafkaListener(topics = TOPIC)
		void invoice(ConsumerRecord<String, String> record) {
			Map<String, String> headers = new ConcurrentHashMap<>();
			for (Header header : record.headers()) {
				headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
			}
			received.put(record.value(), headers);
			log.info("invoicing {}", record.value());
		}

	}

}
