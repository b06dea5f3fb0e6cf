package io.github.redislog.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import brave.baggage.BaggagePropagationCustomizer;
import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.test.TestRedis;
import io.github.redislog.tracing.ContextBaggageReceiverTracingObservationHandler;
import io.github.redislog.tracing.ContextBaggageSenderTracingObservationHandler;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.RequestReplySenderContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
				RedisLogTracingAutoConfiguration.class, ObservationAutoConfiguration.class,
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
			Map<String, String> message = send(context, new SenderContext<>(Map::put));
			assertThat(message).containsKey("traceparent")
				.hasEntrySatisfying("baggage", (baggage) -> assertThat(baggage)
					.contains(ContextHeaders.CONTEXT + "=job_1")
					.contains(ContextHeaders.OWNER + "=User.jos%C3%A9"));

			assertThat(handle(context, new ReceiverContext<>(Map::get), message))
				.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
			assertThat(RedisLogContext.capture()).isNull();
		});
	}

	@Test
	void withB3PropagationTheFieldsTravelAsHeadersOfTheirOwn() {
		this.contextRunner.withPropertyValues("management.tracing.propagation.type=b3").run((context) -> {
			Map<String, String> message = send(context, new SenderContext<>(Map::put));
			assertThat(message).containsKey("b3")
				.containsEntry(ContextHeaders.CONTEXT, "job_1")
				.containsEntry(ContextHeaders.OWNER, "User.jos%C3%A9");

			assertThat(handle(context, new ReceiverContext<>(Map::get), message))
				.isEqualTo(new RedisLogContext.Snapshot("job_1", "User.josé"));
		});
	}

	@Test
	void messageWithoutContextIsHandledInNone() {
		this.contextRunner.run((context) -> {
			Map<String, String> message = new HashMap<>();
			try (RedisLogContext.Scope job = RedisLogContext.open("job_earlier")) {
				assertThat(handle(context, new ReceiverContext<>(Map::get), message)).isNull();
				assertThat(RedisLogContext.current()).hasValue("job_earlier");
			}
		});
	}

	@Test
	void requestsToOtherServicesDoNotCarryTheContext() {
		this.contextRunner.run((context) -> assertThat(send(context, new RequestReplySenderContext<>(Map::put)))
			.containsKey("traceparent")
			.doesNotContainKey(ContextHeaders.CONTEXT)
			.satisfies((request) -> assertThat(request.getOrDefault("baggage", "")).doesNotContain("redis-log")));
	}

	@Test
	void requestsFromClientsChooseNoContext() {
		this.contextRunner.run((context) -> {
			Map<String, String> message = send(context, new SenderContext<>(Map::put));
			assertThat(handle(context, new RequestReplyReceiverContext<>(Map::get), message)).isNull();
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
	void definesNothingWithoutATracerThatPropagates() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.tracing.brave", "brave"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ContextBaggageSenderTracingObservationHandler.class)
				.doesNotHaveBean(ContextBaggageReceiverTracingObservationHandler.class));
	}

	private Map<String, String> send(AssertableApplicationContext context, SenderContext<Map<String, String>> sending) {
		Map<String, String> message = new HashMap<>();
		sending.setCarrier(message);
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("josé");
				RedisLogContext.Scope job = RedisLogContext.open("job_1")) {
			Observation.createNotStarted("send", () -> sending, context.getBean(ObservationRegistry.class))
				.observe(() -> {
				});
		}
		return message;
	}

	private RedisLogContext.Snapshot handle(AssertableApplicationContext context,
			ReceiverContext<Map<String, String>> receiving, Map<String, String> message) {
		receiving.setCarrier(message);
		AtomicReference<RedisLogContext.Snapshot> handledIn = new AtomicReference<>();
		Observation.createNotStarted("handle", () -> receiving, context.getBean(ObservationRegistry.class))
			.observe(() -> handledIn.set(RedisLogContext.capture()));
		return handledIn.get();
	}

}
