package io.github.redislog.delivery;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.test.BackendLogging;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * With {@code redis-log.format} set to one of Spring Boot's structured formats, a record in
 * Redis is exactly the same record in the application's structured console output, field
 * by field, {@code logging.structured.*} included. Runs on both backends: the application
 * logs through Boot's own structured console configuration of the backend under test.
 */
@ExtendWith(OutputCaptureExtension.class)
class StructuredFormatIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.payments.PaymentService");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	// Spring Boot sets it from logging.structured.format.console only while it is not set.
	private static final String CONSOLE_FORMAT_PROPERTY = "CONSOLE_LOG_STRUCTURED_FORMAT";

	@AfterAll
	static void restoreTheTestsLoggingConfiguration() {
		System.clearProperty(CONSOLE_FORMAT_PROPERTY);
		BackendLogging.restoreTestConfiguration();
	}

	@ParameterizedTest
	@ValueSource(strings = { "ecs", "logstash", "gelf" })
	void recordInRedisIsTheRecordOfTheStructuredConsole(String format, CapturedOutput output) {
		String token = UUID.randomUUID().toString();
		String jobId = RedisLogContext.newJobId("payment");
		try (ConfigurableApplicationContext context = application(format)) {
			try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
					RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
				log.atInfo().addKeyValue("amount", 42).log("Charged {}", token);
			}
			await().until(() -> context.getBean(RedisLogWorker.class).publishedCount() >= 1
					&& !this.streams.payloadsMentioning(globalStream(), token).isEmpty());
			Map<String, Object> console = consoleRecord(output, token);
			Map<String, Object> payload = this.streams.payloadsMentioning(globalStream(), token).get(0);
			assertThat(payload).isEqualTo(console);
			assertThat(json.writeValueAsString(payload)).contains("\"team\":\"payments-team\"")
				.contains("redisLogContext\":\"" + jobId, "redisLogOwner\":\"User.alice");
			assertThat(this.streams.payloadsMentioning("stream:" + this.prefix + ":" + jobId, token)).hasSize(1);
		}
	}

	private ConfigurableApplicationContext application(String format) {
		System.clearProperty(CONSOLE_FORMAT_PROPERTY);
		String backend = BackendLogging.isLogback() ? "logback" : "log4j2";
		List<String> properties = new java.util.ArrayList<>(List.of(redis.properties()));
		properties.addAll(List.of("logging.config=classpath:structured-console-" + backend + ".xml",
				"logging.structured.format.console=" + format, "redis-log.format=" + format,
				"redis-log.channel-prefix=" + this.prefix, "spring.application.name=orders-service",
				"logging.structured.ecs.service.name=orders-service",
				"logging.structured.gelf.host=orders-service", "logging.structured.json.add.team=payments-team"));
		return new SpringApplicationBuilder(Application.class).web(WebApplicationType.NONE)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> consoleRecord(CapturedOutput output, String token) {
		String line = output.getOut()
			.lines()
			.filter((candidate) -> candidate.startsWith("{") && candidate.contains(token))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No structured console line with " + token));
		return json.readValue(line, Map.class);
	}

	private String globalStream() {
		return "stream:" + this.prefix + ":global";
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class })
	static class Application {

	}

}
