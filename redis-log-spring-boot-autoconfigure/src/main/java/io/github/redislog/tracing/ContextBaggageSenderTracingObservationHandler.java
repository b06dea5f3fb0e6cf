package io.github.redislog.tracing;

import java.util.ArrayDeque;
import java.util.Deque;

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
 * for any messaging client whose sending is observed (RabbitMQ, Kafka, JMS...). Only to
 * messages (producer spans): requests to other services (client spans) do not carry a
 * user's name or job id.
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
		try {
			super.onStart(context);
		}
		finally {
			CarriedBaggage carried = context.get(CarriedBaggage.class);
			if (carried != null) {
				context.remove(CarriedBaggage.class);
				carried.close();
			}
		}
	}

	// Set on the sender's own span, between its creation and the propagator writing it
	// into the message, so that the baggage never reaches any other span.
	@Override
	public Span createSenderSpan(SenderContext<?> context) {
		Span span = super.createSenderSpan(context);
		RedisLogContext.Snapshot logContext = RedisLogContext.capture();
		if (logContext != null && context.getKind() == Kind.PRODUCER) {
			CarriedBaggage carried = new CarriedBaggage();
			context.put(CarriedBaggage.class, carried);
			ContextHeaders.write(logContext,
					(name, value) -> carried.add(getTracer().createBaggageInScope(span.context(), name, value)));
		}
		return span;
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
