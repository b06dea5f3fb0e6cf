package io.github.redislog.tracing;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.redislog.RedisLogContext;
import io.github.redislog.messaging.ContextHeaders;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;

/**
 * A {@link PropagatingReceiverTracingObservationHandler} that runs the handling of each
 * received message in the log context its baggage carries, and in none when it carries
 * none, then restores the context of the thread: the receiving half of
 * {@link ContextBaggageSenderTracingObservationHandler}, for any messaging client whose
 * handling is observed. Only for messages (consumer spans): the baggage of a request from
 * a client (server spans) chooses nothing, since anyone can send it. Any observed
 * handling of a message is a consumer span, Spring Integration's endpoints included: it
 * trusts the baggage as it trusts whoever can send it messages.
 *
 * @author Redis Log contributors
 */
public class ContextBaggageReceiverTracingObservationHandler
		extends PropagatingReceiverTracingObservationHandler<ReceiverContext<?>> {

	/**
	 * Create a handler.
	 * @param tracer the tracer
	 * @param propagator the propagator that reads the span's context from the message
	 */
	public ContextBaggageReceiverTracingObservationHandler(Tracer tracer, Propagator propagator) {
		super(tracer, propagator);
	}

	@Override
	public void onScopeOpened(ReceiverContext<?> context) {
		super.onScopeOpened(context);
		if (context.getKind() == Kind.CONSUMER) {
			TraceContext span = getRequiredSpan(context).context();
			RedisLogContext.Snapshot carried = ContextHeaders.read((name) -> SpanBaggage.get(getTracer(), span, name));
			context.computeIfAbsent(LogContextScopes.class, (key) -> new LogContextScopes())
				.open(RedisLogContext.restore(carried));
		}
	}

	@Override
	public void onScopeClosed(ReceiverContext<?> context) {
		LogContextScopes scopes = context.get(LogContextScopes.class);
		if (scopes != null) {
			scopes.closeLast();
		}
		super.onScopeClosed(context);
	}

	/**
	 * The log context scopes open for one observation: its scope may open again before it
	 * closes, on the same thread or on another one, as tracing's own scopes do.
	 */
	private static final class LogContextScopes {

		private final Map<Thread, Deque<RedisLogContext.Scope>> byThread = new ConcurrentHashMap<>();

		void open(RedisLogContext.Scope scope) {
			this.byThread.computeIfAbsent(Thread.currentThread(), (thread) -> new ArrayDeque<>()).push(scope);
		}

		void closeLast() {
			Deque<RedisLogContext.Scope> scopes = this.byThread.get(Thread.currentThread());
			RedisLogContext.Scope scope = (scopes != null) ? scopes.poll() : null;
			if (scope != null) {
				scope.close();
			}
			if (scopes != null && scopes.isEmpty()) {
				this.byThread.remove(Thread.currentThread());
			}
		}

	}

}
