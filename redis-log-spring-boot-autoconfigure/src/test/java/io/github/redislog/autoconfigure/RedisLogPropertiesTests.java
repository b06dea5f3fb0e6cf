package io.github.redislog.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.redislog.test.TestRedis;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.wire.PubSubMode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogProperties}.
 */
class RedisLogPropertiesTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties());

	@Test
	void hasDefaultsOfWireContract() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			RedisLogProperties properties = context.getBean(RedisLogProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getChannelPrefix()).isEqualTo("logs");
			assertThat(properties.getGlobalChannel()).isEqualTo("global");
			assertThat(properties.getBatchSize()).isEqualTo(100);
			assertThat(properties.getFlushInterval()).isEqualTo(Duration.ofMillis(5));
			assertThat(properties.getQueueCapacity()).isEqualTo(10_000);
			assertThat(properties.getQueueMaxBytes()).isEqualTo(DataSize.ofMegabytes(32));
			assertThat(properties.getMaxMessageSize()).isEqualTo(DataSize.ofKilobytes(64));
			assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(10));
			assertThat(properties.getPattern()).isNull();
			assertThat(properties.getStream().getMaxLength()).isEqualTo(1000);
			assertThat(properties.getStream().getContextTtl()).isEqualTo(Duration.ofSeconds(3600));
			assertThat(properties.getStream().getGlobalTtl()).isEqualTo(Duration.ofSeconds(86400));
			assertThat(properties.getFilter().isEnabled()).isTrue();
		});
	}

	@Test
	void bindsEveryProperty() {
		this.contextRunner
			.withPropertyValues("redis-log.enabled=true", "redis-log.channel-prefix=app-logs",
					"redis-log.global-channel=everything", "redis-log.batch-size=250", "redis-log.flush-interval=250ms",
					"redis-log.queue-capacity=5000", "redis-log.queue-max-bytes=2MB",
					"redis-log.max-message-size=16KB", "redis-log.shutdown-timeout=3s",
					"redis-log.pattern=%-5level %logger{20} - %msg%n", "redis-log.stream.max-length=500",
					"redis-log.stream.context-ttl=90s", "redis-log.stream.global-ttl=2h",
					"redis-log.filter.enabled=false", "redis-log.pubsub=sharded")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisLogProperties properties = context.getBean(RedisLogProperties.class);
				assertThat(properties.isEnabled()).isTrue();
				assertThat(properties.getChannelPrefix()).isEqualTo("app-logs");
				assertThat(properties.getGlobalChannel()).isEqualTo("everything");
				assertThat(properties.getBatchSize()).isEqualTo(250);
				assertThat(properties.getFlushInterval()).isEqualTo(Duration.ofMillis(250));
				assertThat(properties.getQueueCapacity()).isEqualTo(5000);
				assertThat(properties.getQueueMaxBytes()).isEqualTo(DataSize.ofMegabytes(2));
				assertThat(properties.getMaxMessageSize()).isEqualTo(DataSize.ofKilobytes(16));
				assertThat(properties.getShutdownTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getPattern()).isEqualTo("%-5level %logger{20} - %msg%n");
				assertThat(properties.getStream().getMaxLength()).isEqualTo(500);
				assertThat(properties.getStream().getContextTtl()).isEqualTo(Duration.ofSeconds(90));
				assertThat(properties.getStream().getGlobalTtl()).isEqualTo(Duration.ofHours(2));
				assertThat(properties.getFilter().isEnabled()).isFalse();
				assertThat(properties.getPubsub()).isEqualTo(PubSubMode.SHARDED);
				assertThat(context.getBean(LogChannels.class).pubSubMode()).isEqualTo(PubSubMode.SHARDED);
			});
	}

	@Test
	void bindsDisabled() {
		new ApplicationContextRunner().withUserConfiguration(PropertiesConfiguration.class)
			.withPropertyValues("redis-log.enabled=false")
			.run((context) -> assertThat(context.getBean(RedisLogProperties.class).isEnabled()).isFalse());
	}

	@Test
	void bindsUnitlessDurationsAsMillisecondsAndUnitlessSizesAsBytes() {
		new ApplicationContextRunner().withUserConfiguration(PropertiesConfiguration.class)
			.withPropertyValues("redis-log.flush-interval=20", "redis-log.queue-max-bytes=4096",
					"redis-log.max-message-size=512")
			.run((context) -> {
				RedisLogProperties properties = context.getBean(RedisLogProperties.class);
				assertThat(properties.getFlushInterval()).isEqualTo(Duration.ofMillis(20));
				assertThat(properties.getQueueMaxBytes()).isEqualTo(DataSize.ofBytes(4096));
				assertThat(properties.getMaxMessageSize()).isEqualTo(DataSize.ofBytes(512));
			});
	}

	@Test
	void acceptsZeroFlushIntervalAndShutdownTimeout() {
		this.contextRunner.withPropertyValues("redis-log.flush-interval=0ms", "redis-log.shutdown-timeout=0s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				RedisLogProperties properties = context.getBean(RedisLogProperties.class);
				assertThat(properties.getFlushInterval()).isZero();
				assertThat(properties.getShutdownTimeout()).isZero();
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis-log.batch-size=0", "redis-log.batch-size=-5", "redis-log.queue-capacity=-1",
			"redis-log.queue-capacity=0", "redis-log.queue-max-bytes=0", "redis-log.queue-max-bytes=0MB",
			"redis-log.max-message-size=0", "redis-log.max-message-size=3GB", "redis-log.flush-interval=-1s",
			"redis-log.shutdown-timeout=-1s", "redis-log.stream.max-length=0", "redis-log.stream.max-length=-1",
			"redis-log.stream.context-ttl=0s", "redis-log.stream.context-ttl=500ms", "redis-log.stream.global-ttl=0s",
			"redis-log.global-channel=glo*bal", "redis-log.global-channel=logs:global",
			"redis-log.global-channel=glo bal", "redis-log.global-channel=", "redis-log.channel-prefix=",
			"redis-log.channel-prefix=lo?gs", "redis-log.channel-prefix=logs[1]", "redis-log.channel-prefix=my logs",
			"redis-log.batch-size=many", "redis-log.flush-interval=soon", "redis-log.pubsub=loud" })
	void failsNamingPropertyWithInvalidValue(String property) {
		String name = property.substring(0, property.indexOf('='));
		this.contextRunner.withPropertyValues(property).run((context) -> assertFailureNamesProperty(context, name));
	}

	@ParameterizedTest
	@ValueSource(strings = { "%nosuchword", "%m %nosuchword%n", "%d{", "%m%", "%(" })
	void failsNamingPatternThatLogbackCannotUse(String pattern) {
		this.contextRunner.withPropertyValues("redis-log.pattern=" + pattern)
			.run((context) -> assertFailureNamesProperty(context, "redis-log.pattern"));
	}

	@Test
	void failsNamingFileLogPatternThatLogbackCannotUse() {
		this.contextRunner.withPropertyValues("logging.pattern.file=%nosuchword")
			.run((context) -> assertFailureNamesProperty(context, "logging.pattern.file"));
	}

	// The property a failure is about, as Spring Boot's failure analyzers report it: the
	// property of a BindException or the name of an InvalidConfigurationPropertyValueException.
	private static void assertFailureNamesProperty(AssertableApplicationContext context, String name) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		List<String> named = new ArrayList<>();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BindException bindException && bindException.getProperty() != null) {
				named.add(bindException.getProperty().getName().toString());
			}
			if (cause instanceof InvalidConfigurationPropertyValueException invalidValue) {
				named.add(invalidValue.getName());
			}
		}
		assertThat(named).as("properties named by %s", failure).contains(name);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(RedisLogProperties.class)
	static class PropertiesConfiguration {

	}

}
