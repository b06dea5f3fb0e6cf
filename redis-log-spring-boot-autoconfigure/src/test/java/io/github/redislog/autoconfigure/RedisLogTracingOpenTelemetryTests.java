package io.github.redislog.autoconfigure;

import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.test.BaggageRules;
import io.github.redislog.test.ObservedMessages;
import io.github.redislog.test.TestRedis;
import io.github.redislog.tracing.ContextBaggageSenderTracingObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.boot.opentelemetry.autoconfigure.OpenTelemetrySdkAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogTracingAutoConfiguration} with the OpenTelemetry bridge, run
 * apart from the other tests, on a class path without Brave (the build's
 * {@code opentelemetry} test execution); skipped on the other tests' class path, where
 * {@code -Dtest} may bring them.
 */
@EnabledIf("openTelemetryOnClassPath")
class RedisLogTracingOpenTelemetryTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogHandOffAutoConfiguration.class, RedisLogTracingAutoConfiguration.class,
				ObservationAutoConfiguration.class,
				OpenTelemetrySdkAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class))
		.withPropertyValues(redis.properties());

	static boolean openTelemetryOnClassPath() {
		return ClassUtils.isPresent("io.micrometer.tracing.otel.bridge.OtelTracer", null);
	}

	@Test
	void messageCarriesTheContextAsW3cBaggageAndItsHandlingRunsInIt() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(PropagatingSenderTracingObservationHandler.class)
				.isInstanceOf(ContextBaggageSenderTracingObservationHandler.class);
			ObservedMessages messages = new ObservedMessages(context.getBean(ObservationRegistry.class));
			Map<String, String> message = messages.sendInJosesJob(new SenderContext<>(Map::put));
			assertThat(message).hasEntrySatisfying("baggage",
					(baggage) -> assertThat(baggage).contains(ContextHeaders.CONTEXT + "=job_1.")
						.contains(ContextHeaders.OWNER + "=~VXNlci5qb3PDqQ"));

			assertThat(messages.handle(new ReceiverContext<>(Map::get), message))
				.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
			assertThat(RedisLogContext.capture()).isNull();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "w3c", "b3", "w3c,b3" })
	void baggageGoesFromMessageToMessageOnlyWhateverThePropagation(String propagation) {
		this.contextRunner
			.withPropertyValues("management.tracing.propagation.type=" + propagation,
					"management.tracing.baggage.remote-fields=redis-log-context,redis-log-owner")
			.run(BaggageRules::assertHoldIn);
	}

	@Test
	void withB3TheFieldsTravelAsHeadersOnceListedAsRemoteFields() {
		this.contextRunner
			.withPropertyValues("management.tracing.propagation.type=b3",
					"management.tracing.baggage.remote-fields=redis-log-context,redis-log-owner")
			.run((context) -> {
				ObservedMessages messages = new ObservedMessages(context.getBean(ObservationRegistry.class));
				Map<String, String> message = messages.sendInJosesJob(new SenderContext<>(Map::put));
				assertThat(message).hasEntrySatisfying(ContextHeaders.CONTEXT, (value) -> assertThat(value).startsWith("job_1."))
					.containsEntry(ContextHeaders.OWNER, "~VXNlci5qb3PDqQ");

				assertThat(messages.handle(new ReceiverContext<>(Map::get), message))
					.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
			});
	}

}
