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
 * carry a user's name or job id, and a message sent without a log context carries none,
 * whatever its span inherited.
 *
 * @author Redis Log contributors
 * @see ContextBaggageReceiverTracingObservationHandler
 */
public class ContextBaggageSenderTracingObservationHandler
		extends PropagatingSenderTracingObservationHandler<SenderContext<?>> {

	private final Propagator propagator;

	private final ContextHeaders headers;

	/**
	 * Create a handler.
	 * @param tracer the tracer
	 * @param propagator the propagator that writes the span's context into the message
	 * @param headers writes the log context's fields
	 */
	public ContextBaggageSenderTracingObservationHandler(Tracer tracer, Propagator propagator,
			ContextHeaders headers) {
		super(tracer, propagator);
		this.headers = headers;
		this.propagator = propagator;
	}

	// As the superclass does, with the fields set on the sender's span, and that span the
	// current one, for as long as the propagator writes it into the message: OpenTelemetry's
	// propagators write the baggage of the current context.
	@Override
	@SuppressWarnings({ "rawtypes", "unchecked" })
	public void onStart(SenderContext<?> context) {
		Span span = createSenderSpan(context);
		SenderContext message = context;
		try (Tracer.SpanInScope current = getTracer().withSpan(span)) {
			Deque<BaggageInScope> fields = carry(context, span);
			try {
				this.propagator.inject(span.context(), message.getCarrier(),
						(carrier, key, value) -> message.getSetter().set(carrier, key, value));
			}
			finally {
				fields.forEach(BaggageInScope::close);
			}
		}
		getTracingContext(context).setSpan(span);
	}

	private Deque<BaggageInScope> carry(SenderContext<?> context, Span span) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(ContextHeaders.CONTEXT, "");
		fields.put(ContextHeaders.OWNER, "");
		if (context.getKind() == Kind.PRODUCER) {
			this.headers.write(RedisLogContext.capture(), fields::put);
		}
		Deque<BaggageInScope> scopes = new ArrayDeque<>(2);
		fields.forEach((name, value) -> {
			if (!value.isEmpty() || SpanBaggage.isSet(getTracer(), span.context(), name)) {
				scopes.push(getTracer().createBaggageInScope(span.context(), name, value));
			}
		});
		return scopes;
	}

}
