package io.github.redislog.autoconfigure;

import java.util.HashMap;
import java.util.Map;

import brave.baggage.BaggagePropagationCustomizer;
import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.test.BaggageRules;
import io.github.redislog.test.ObservedMessages;
import io.github.redislog.test.TestRedis;
import io.github.redislog.tracing.ContextBaggageReceiverTracingObservationHandler;
import io.github.redislog.tracing.ContextBaggageSenderTracingObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.NoopTracerAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogTracingAutoConfiguration}, with Brave.
 */
class RedisLogTracingAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogHandOffAutoConfiguration.class, RedisLogTracingAutoConfiguration.class,
				ObservationAutoConfiguration.class,
				BraveAutoConfiguration.class, NoopTracerAutoConfiguration.class,
				MicrometerTracingAutoConfiguration.class))
		.withPropertyValues(redis.properties());

	@Test
	void replacesBootsPropagatingTracingHandlers() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(PropagatingSenderTracingObservationHandler.class)
				.isInstanceOf(ContextBaggageSenderTracingObservationHandler.class);
			assertThat(context).getBean(PropagatingReceiverTracingObservationHandler.class)
				.isInstanceOf(ContextBaggageReceiverTracingObservationHandler.class);
			assertThat(context).getBean("redisLogBaggagePropagationCustomizer")
				.isInstanceOf(BaggagePropagationCustomizer.class);
		});
	}

	@Test
	void messageCarriesTheContextAsW3cBaggageAndItsHandlingRunsInIt() {
		this.contextRunner.run((context) -> {
			Map<String, String> message = messages(context).sendInJosesJob(new SenderContext<>(Map::put));
			assertThat(message).containsKey("traceparent")
				.hasEntrySatisfying("baggage", (baggage) -> assertThat(baggage)
					.contains(ContextHeaders.CONTEXT + "=job_1.")
					.contains(ContextHeaders.OWNER + "=~VXNlci5qb3PDqQ"));

			assertThat(messages(context).handle(new ReceiverContext<>(Map::get), message))
				.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
			assertThat(RedisLogContext.capture()).isNull();
		});
	}

	@Test
	void withB3PropagationTheFieldsTravelAsHeadersOfTheirOwn() {
		this.contextRunner.withPropertyValues("management.tracing.propagation.type=b3").run((context) -> {
			Map<String, String> message = messages(context).sendInJosesJob(new SenderContext<>(Map::put));
			assertThat(message).containsKey("b3")
				.hasEntrySatisfying(ContextHeaders.CONTEXT, (value) -> assertThat(value).startsWith("job_1."))
				.containsEntry(ContextHeaders.OWNER, "~VXNlci5qb3PDqQ");

			assertThat(messages(context).handle(new ReceiverContext<>(Map::get), message))
				.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
		});
	}

	@Test
	void messageWithoutContextIsHandledInNone() {
		this.contextRunner.run((context) -> {
			Map<String, String> message = new HashMap<>();
			try (RedisLogContext.Scope job = RedisLogContext.open("job_earlier")) {
				assertThat(messages(context).handle(new ReceiverContext<>(Map::get), message)).isNull();
				assertThat(RedisLogContext.current()).hasValue("job_earlier");
			}
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "w3c", "b3", "w3c,b3" })
	void baggageGoesFromMessageToMessageOnlyWhateverThePropagation(String propagation) {
		this.contextRunner.withPropertyValues("management.tracing.propagation.type=" + propagation)
			.run(BaggageRules::assertHoldIn);
	}

	@Test
	void observationScopeOpenedTwiceRestoresTheContextOnEachClose() {
		this.contextRunner.run((context) -> {
			Map<String, String> message = messages(context).sendInJosesJob(new SenderContext<>(Map::put));
			ReceiverContext<Map<String, String>> receiving = new ReceiverContext<>(Map::get);
			receiving.setCarrier(message);
			Observation observation = Observation.start("handle", () -> receiving,
					context.getBean(ObservationRegistry.class));
			try (Observation.Scope outer = observation.openScope()) {
				try (Observation.Scope inner = observation.openScope()) {
					assertThat(RedisLogContext.current()).hasValue("job_1");
				}
				assertThat(RedisLogContext.current()).hasValue("job_1");
			}
			assertThat(RedisLogContext.capture()).isNull();
			observation.stop();
		});
	}

	@Test
	void requestsFromClientsChooseNoContext() {
		this.contextRunner.run((context) -> {
			Map<String, String> message = messages(context).sendInJosesJob(new SenderContext<>(Map::put));
			assertThat(messages(context).handle(new RequestReplyReceiverContext<>(Map::get), message)).isNull();
		});
	}

	@Test
	void leavesBootsHandlersWhenPropagationIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.propagation.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ContextBaggageSenderTracingObservationHandler.class)
				.doesNotHaveBean(ContextBaggageReceiverTracingObservationHandler.class)
				.hasSingleBean(PropagatingSenderTracingObservationHandler.class));
	}

	@Test
	void leavesBootsHandlersWhenRedisLogIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ContextBaggageSenderTracingObservationHandler.class)
				.doesNotHaveBean(ContextBaggageReceiverTracingObservationHandler.class)
				.doesNotHaveBean("redisLogBaggagePropagationCustomizer")
				.hasSingleBean(PropagatingSenderTracingObservationHandler.class)
				.hasSingleBean(PropagatingReceiverTracingObservationHandler.class));
	}

	@Test
	void startsAndHandsOffWithTheFieldsAlsoInBootsRemoteFields() {
		this.contextRunner
			.withPropertyValues("management.tracing.propagation.type=b3",
					"management.tracing.baggage.remote-fields=" + ContextHeaders.CONTEXT + "," + ContextHeaders.OWNER)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				Map<String, String> message = messages(context).sendInJosesJob(new SenderContext<>(Map::put));
				assertThat(messages(context).handle(new ReceiverContext<>(Map::get), message))
					.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
			});
	}

	@Test
	void definesNothingWithoutATracerThatPropagates() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing.brave", "brave"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ContextBaggageSenderTracingObservationHandler.class)
				.doesNotHaveBean(ContextBaggageReceiverTracingObservationHandler.class));
	}

	private static ObservedMessages messages(AssertableApplicationContext context) {
		return new ObservedMessages(context.getBean(ObservationRegistry.class));
	}

}
