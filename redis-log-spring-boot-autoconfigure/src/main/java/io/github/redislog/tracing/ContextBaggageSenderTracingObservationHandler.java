package io.github.redislog.tracing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.ContextHeaders;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import io.micrometer.tracing.BaggageInScope;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * A {@link PropagatingSenderTracingObservationHandler} that adds the sending thread's log
 * context to the baggage of each message it sends, as the fields named by
 * {@link ContextHeaders}, so that the handling application logs into the same context,
 * for any messaging client whose sending is observed (RabbitMQ, Kafka, JMS...). Only
 * messages (producer spans) carry them: requests to other services (client spans) do not
 * carry a user's name or job id. A span never passes on the fields it inherits, such as
 * those an HTTP client sent with its request: a message sent without a log context, and
 * every request, goes out with them cleared.
 *
 * @author Redis Log contributors
 * @see ContextBaggageReceiverTracingObservationHandler
 */
public class ContextBaggageSenderTracingObservationHandler
		extends PropagatingSenderTracingObservationHandler<SenderContext<?>> {

	/**
	 * Create a handler.
	 * @param tracer the tracer
	 * @param propagator the propagator that writes the span's context into the message
	 */
	public ContextBaggageSenderTracingObservationHandler(Tracer tracer, Propagator propagator) {
		super(tracer, propagator);
	}

	@Override
	public void onStart(SenderContext<?> context) {
		CarriedBaggage carried = new CarriedBaggage();
		context.put(CarriedBaggage.class, carried);
		try {
			super.onStart(context);
		}
		finally {
			context.remove(CarriedBaggage.class);
			carried.close();
		}
	}

	// Between the span's creation and the propagator writing it into the message, the
	// fields reach this span only; outside onStart, nothing would close their scopes.
	@Override
	public Span createSenderSpan(SenderContext<?> context) {
		Span span = super.createSenderSpan(context);
		CarriedBaggage carried = context.get(CarriedBaggage.class);
		if (carried != null) {
			Map<String, String> fields = new LinkedHashMap<>();
			fields.put(ContextHeaders.CONTEXT, "");
			fields.put(ContextHeaders.OWNER, "");
			if (context.getKind() == Kind.PRODUCER) {
				ContextHeaders.write(RedisLogContext.capture(), fields::put);
			}
			fields.forEach((name, value) -> {
				if (!value.isEmpty() || isInherited(span, name)) {
					carried.add(getTracer().createBaggageInScope(span.context(), name, value));
				}
			});
		}
		return span;
	}

	private boolean isInherited(Span span, String name) {
		String inherited = SpanBaggage.get(getTracer(), span.context(), name);
		return inherited != null && !inherited.isEmpty();
	}

	private static final class CarriedBaggage {

		private final Deque<BaggageInScope> fields = new ArrayDeque<>(2);

		void add(BaggageInScope field) {
			this.fields.push(field);
		}

		void close() {
			this.fields.forEach(BaggageInScope::close);
		}

	}

}
