package io.github.redislog.autoconfigure;

import java.util.Set;
import java.util.stream.Collectors;

import brave.baggage.BaggageField;
import brave.baggage.BaggagePropagationConfig.SingleBaggageField;
import brave.baggage.BaggagePropagationCustomizer;
import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.tracing.ContextBaggageReceiverTracingObservationHandler;
import io.github.redislog.tracing.ContextBaggageSenderTracingObservationHandler;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that carries the log context as
 * Micrometer Tracing baggage ({@value ContextHeaders#CONTEXT} and
 * {@value ContextHeaders#OWNER}) with every message whose sending and handling are
 * observed, whatever the messaging client: the tracing handlers that Spring Boot would
 * create for senders and receivers are replaced by ones that also write and restore the
 * log context, signed by {@link ContextHeaders}. With Brave, the two fields are registered as remote baggage fields; with
 * OpenTelemetry, W3C baggage carries them as it carries any field, and B3 needs them in
 * {@code management.tracing.baggage.remote-fields}.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogHandOffAutoConfiguration.class,
		afterName = { "org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration",
				"org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration" },
		before = MicrometerTracingAutoConfiguration.class)
@ConditionalOnClass({ Tracer.class, MicrometerTracingAutoConfiguration.class })
@ConditionalOnBean({ ContextHeaders.class, Tracer.class, Propagator.class })
@ConditionalOnBooleanProperty(name = "redis-log.propagation.enabled", matchIfMissing = true)
public final class RedisLogTracingAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean(PropagatingSenderTracingObservationHandler.class)
	@Order(MicrometerTracingAutoConfiguration.SENDER_TRACING_OBSERVATION_HANDLER_ORDER)
	ContextBaggageSenderTracingObservationHandler redisLogContextBaggageSenderTracingObservationHandler(Tracer tracer,
			Propagator propagator, ContextHeaders headers) {
		return new ContextBaggageSenderTracingObservationHandler(tracer, propagator, headers);
	}

	@Bean
	@ConditionalOnMissingBean(PropagatingReceiverTracingObservationHandler.class)
	@Order(MicrometerTracingAutoConfiguration.RECEIVER_TRACING_OBSERVATION_HANDLER_ORDER)
	ContextBaggageReceiverTracingObservationHandler redisLogContextBaggageReceiverTracingObservationHandler(
			Tracer tracer, Propagator propagator, ContextHeaders headers) {
		return new ContextBaggageReceiverTracingObservationHandler(tracer, propagator, headers);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(BaggagePropagationCustomizer.class)
	static class BraveBaggageConfiguration {

		// Runs after Spring Boot's, which registers management.tracing.baggage.remote-fields:
		// Brave refuses a field registered twice.
		@Bean
		BaggagePropagationCustomizer redisLogBaggagePropagationCustomizer() {
			return (builder) -> {
				Set<String> registered = builder.configs()
					.stream()
					.filter(SingleBaggageField.class::isInstance)
					.map((config) -> ((SingleBaggageField) config).field().name())
					.collect(Collectors.toSet());
				for (String name : new String[] { ContextHeaders.CONTEXT, ContextHeaders.OWNER }) {
					if (!registered.contains(name)) {
						builder.add(SingleBaggageField.remote(BaggageField.create(name)));
					}
				}
			};
		}

	}

}
