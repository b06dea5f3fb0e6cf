package io.github.redislog.autoconfigure;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.messaging.HandOffSignature;
import io.github.redislog.messaging.RefusedContexts;
import io.github.redislog.messaging.StoredHandOffKey;
import io.github.redislog.test.TestRedis;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogHandOffAutoConfiguration}.
 */
class RedisLogHandOffAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final RedisLogContext.Snapshot ALICES_JOB = new RedisLogContext.Snapshot("job_1", "User.alice");

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogHandOffAutoConfiguration.class))
		.withPropertyValues(redis.properties());

	@Test
	void instancesThatShareARedisAgreeOnAKeyCreatedThereOnce() {
		this.contextRunner.run((sender) -> this.contextRunner.run((receiver) -> {
			Map<String, Object> headers = new HashMap<>();
			sender.getBean(ContextHeaders.class).write(ALICES_JOB, headers::put);
			assertThat(receiver.getBean(ContextHeaders.class).read(headers::get)).isEqualTo(ALICES_JOB);
			assertThat(redis.template().opsForValue().get(StoredHandOffKey.REDIS_KEY)).hasSize(43);
		}));
	}

	@Test
	void configuredKeySigns() {
		String key = "c".repeat(32);
		this.contextRunner.withPropertyValues("redis-log.propagation.key=" + key).run((context) -> {
			Map<String, Object> headers = new HashMap<>();
			context.getBean(ContextHeaders.class).write(ALICES_JOB, headers::put);
			ContextHeaders withTheKey = new ContextHeaders(new HandOffSignature(() -> key, null), Duration.ofHours(1),
					new RefusedContexts((message, cause) -> {
					}));
			assertThat(withTheKey.read(headers::get)).isEqualTo(ALICES_JOB);
		});
	}

	@Test
	void keyShorterThan32CharactersFailsAtStartup() {
		this.contextRunner.withPropertyValues("redis-log.propagation.previous-key=short")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("redis-log.propagation.previous-key")
				.hasMessageContaining("at least 32 characters")
				.hasMessageNotContaining("short"));
	}

	@Test
	void refusedContextsAreCountedByReason() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean("redisLogRefusedContextsMetrics", MeterBinder.class).bindTo(registry);
			context.getBean(ContextHeaders.class).read(Map.of(ContextHeaders.CONTEXT, "User.alice")::get);
			assertThat(registry.get("redis.log.context.refused").tag("reason", "missing_signature").functionCounter()
				.count()).isOne();
			assertThat(registry.get("redis.log.context.refused").tag("reason", "bad_signature").functionCounter()
				.count()).isZero();
		});
	}

	@Test
	void definesNothingWhenRedisLogOrPropagationIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ContextHeaders.class));
		this.contextRunner.withPropertyValues("redis-log.propagation.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ContextHeaders.class));
	}

}
