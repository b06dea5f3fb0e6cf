package io.github.redislog.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What anyone reads in the {@code redisLog} health details of an application that shows
 * them to all ({@code management.endpoint.health.show-details=always}, no login): what
 * failed, never whose, nor where Redis is.
 */
class AnonymousHealthIntegrationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.payroll.Payments");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void rejectionNamesTheCommandAndErrorButNoUserNorJob() throws Exception {
		String jobId = RedisLogContext.newJobId("payroll");
		redis.template().opsForValue().set("stream:" + this.prefix + ":User.bob", "left by an old deployment");
		redis.template().opsForValue().set("stream:" + this.prefix + ":" + jobId, "left by an old deployment");
		try (ConfigurableApplicationContext application = start()) {
			try (RedisLogContext.Scope user = RedisLogContext.openUserContext("bob")) {
				log.info("salary paid");
			}
			try (RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
				log.info("payroll run");
			}
			DeliveryCounters counters = application.getBean(DeliveryCounters.class);
			await().until(() -> counters.dropped().count(DropReason.REJECTED) == 2);

			assertThat(health(application)).contains("\"lastRejection\":\"XADD: WRONGTYPE\"")
				.contains("\"dropped.rejected\":2")
				.doesNotContain("bob")
				.doesNotContain(jobId)
				.doesNotContain(this.prefix);
		}
	}

	@Test
	void failedLoginNamesTheErrorButNoUserNorAddress() throws Exception {
		try (ConfigurableApplicationContext application = start("spring.data.redis.username=bob",
				"spring.data.redis.password=not-his-password")) {
			log.info("salary paid");
			RedisWriteStatus writeStatus = application.getBean(RedisWriteStatus.class);
			await().until(() -> writeStatus.failingSince() != null);

			assertThat(health(application)).contains("\"status\":\"DOWN\"")
				.contains("WRONGPASS")
				.doesNotContain("bob")
				.doesNotContain("localhost")
				.doesNotContain("127.0.0.1")
				.doesNotContain(":" + redis.port());
		}
	}

	private ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(HealthApplication.class).properties(redis.properties())
			.properties("server.port=0", "redis-log.channel-prefix=" + this.prefix,
					"management.endpoints.web.exposure.include=health",
					"management.endpoint.health.show-details=always", "spring.data.redis.timeout=2s")
			.properties(properties)
			.run();
	}

	// Anonymous: no credentials.
	private String health(ConfigurableApplicationContext application) throws Exception {
		int port = ((WebServerApplicationContext) application).getWebServer().getPort();
		HttpResponse<String> response = this.http.send(
				HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health/redisLog")).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isIn(200, 503);
		return response.body();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class HealthApplication {

	}

}
