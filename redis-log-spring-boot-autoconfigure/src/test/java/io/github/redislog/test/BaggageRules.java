package io.github.redislog.test;

import java.util.HashMap;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.RefusalReason;
import io.github.redislog.messaging.RefusedContexts;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.micrometer.observation.transport.RequestReplySenderContext;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

import org.springframework.context.ApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules the log context's baggage keeps in an application with tracing, whatever the
 * bridge and propagation format: it goes from one message to the handling of the next,
 * with nothing else, and no client of the application, nor anyone who writes baggage by
 * hand, can choose it.
 *
 * @author Redis Log contributors
 */
public final class BaggageRules {

	private static final RedisLogContext.Snapshot JOSES_JOB = new RedisLogContext.Snapshot("job_1", "User.josé");

	private BaggageRules() {
	}

	/**
	 * Assert that the rules hold in an application.
	 * @param application the application
	 */
	public static void assertHoldIn(ApplicationContext application) {
		ObservedMessages messages = new ObservedMessages(application.getBean(ObservationRegistry.class));
		messageCarriesItsSendersContext(messages);
		messageSentInAnotherJobWhileHandlingAMessageCarriesThatJob(messages);
		requestSentWhileHandlingAMessageCarriesNoContext(messages);
		messagesSentWhileHandlingARequestCarryNoneOfTheBaggageItsClientSent(messages);
		spansMadeByHandWhileHandlingARequestCarryNoneOfIt(messages, application.getBean(Tracer.class),
				application.getBean(Propagator.class));
		messageWithBaggageWrittenByHandIsHandledInNoContextAndCounted(messages,
				application.getBean(RefusedContexts.class));
		assertThat(RedisLogContext.capture()).isNull();
	}

	private static void messageCarriesItsSendersContext(ObservedMessages messages) {
		Map<String, String> message = messages.sendInJosesJob(new SenderContext<>(Map::put));
		assertThat(messages.handle(new ReceiverContext<>(Map::get), message)).isEqualTo(JOSES_JOB);
	}

	private static void messageSentInAnotherJobWhileHandlingAMessageCarriesThatJob(ObservedMessages messages) {
		Map<String, String> first = messages.sendInJosesJob(new SenderContext<>(Map::put));
		Map<String, String> second = messages.handle(new ReceiverContext<>(Map::get), first, () -> {
			try (RedisLogContext.Scope job = RedisLogContext.open("job_2")) {
				return messages.send(new SenderContext<>(Map::put));
			}
		});
		assertThat(messages.handle(new ReceiverContext<>(Map::get), second))
			.isEqualTo(new RedisLogContext.Snapshot("job_2", "User.josé"));
	}

	private static void requestSentWhileHandlingAMessageCarriesNoContext(ObservedMessages messages) {
		Map<String, String> message = messages.sendInJosesJob(new SenderContext<>(Map::put));
		Map<String, String> request = messages.handle(new ReceiverContext<>(Map::get), message,
				() -> messages.send(new RequestReplySenderContext<>(Map::put)));
		assertThat(request).isNotEmpty()
			.allSatisfy((name, value) -> assertThat(value).doesNotContain("job_1").doesNotContain("VXNlci5qb3PDqQ"));
		assertThat(messages.handle(new ReceiverContext<>(Map::get), request)).isNull();
	}

	private static void messagesSentWhileHandlingARequestCarryNoneOfTheBaggageItsClientSent(
			ObservedMessages messages) {
		Map<String, String> anonymous = messages.handle(new RequestReplyReceiverContext<>(Map::get),
				ObservedMessages.requestClaimingToBe("alice"), () -> messages.send(new SenderContext<>(Map::put)));
		assertThat(anonymous).isNotEmpty().allSatisfy((name, value) -> assertThat(value).doesNotContain("alice"));
		assertThat(messages.handle(new ReceiverContext<>(Map::get), anonymous)).isNull();

		Map<String, String> bobs = messages.handle(new RequestReplyReceiverContext<>(Map::get),
				ObservedMessages.requestClaimingToBe("alice"), () -> {
					try (RedisLogContext.Scope user = RedisLogContext.openUserContext("bob")) {
						return messages.send(new SenderContext<>(Map::put));
					}
				});
		assertThat(messages.handle(new ReceiverContext<>(Map::get), bobs))
			.isEqualTo(new RedisLogContext.Snapshot("User.bob", null));
	}

	private static void messageWithBaggageWrittenByHandIsHandledInNoContextAndCounted(ObservedMessages messages,
			RefusedContexts refused) {
		long before = refused.count(RefusalReason.MISSING_SIGNATURE);
		assertThat(messages.handle(new ReceiverContext<>(Map::get), ObservedMessages.requestClaimingToBe("alice")))
			.isNull();
		assertThat(refused.count(RefusalReason.MISSING_SIGNATURE)).isEqualTo(before + 1);
	}

	private static void spansMadeByHandWhileHandlingARequestCarryNoneOfIt(ObservedMessages messages, Tracer tracer,
			Propagator propagator) {
		Map<String, String> byHand = messages.handle(new RequestReplyReceiverContext<>(Map::get),
				ObservedMessages.requestClaimingToBe("alice"), () -> {
					Span span = tracer.nextSpan().start();
					try {
						Map<String, String> headers = new HashMap<>();
						propagator.inject(span.context(), headers, Map::put);
						return headers;
					}
					finally {
						span.end();
					}
				});
		assertThat(byHand).isNotEmpty().allSatisfy((name, value) -> assertThat(value).doesNotContain("alice"));
	}

}
