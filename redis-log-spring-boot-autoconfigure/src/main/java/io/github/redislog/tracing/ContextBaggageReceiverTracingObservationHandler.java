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
import org.jspecify.annotations.Nullable;

/**
 * A {@link PropagatingReceiverTracingObservationHandler} that runs the handling of each
 * received message in the log context its baggage carries, and in none when it carries
 * none, then restores the context of the thread: the receiving half of
 * {@link ContextBaggageSenderTracingObservationHandler}, for any messaging client whose
 * handling is observed. Only for messages (consumer spans): the baggage of a request from
 * a client (server spans) chooses nothing, since anyone can send it, and a message's
 * baggage only when {@link ContextHeaders} verifies its signature and age. Both fields are
 * cleared from every incoming span, a message's once read, so that nothing sent while
 * handling it passes them on. Any observed handling of a message is a consumer span,
 * Spring Integration's endpoints included.
 *
 * @author Redis Log contributors
 */
public class ContextBaggageReceiverTracingObservationHandler
		extends PropagatingReceiverTracingObservationHandler<ReceiverContext<?>> {

	private final ContextHeaders headers;

	/**
	 * Create a handler.
	 * @param tracer the tracer
	 * @param propagator the propagator that reads the span's context from the message
	 * @param headers reads the log context's fields and refuses what does not verify
	 */
	public ContextBaggageReceiverTracingObservationHandler(Tracer tracer, Propagator propagator,
			ContextHeaders headers) {
		super(tracer, propagator);
		this.headers = headers;
	}

	// The fields are read once, then cleared from the span, so that nothing made under it
	// passes them on: a consumer's producers write their own, from the log context.
	@Override
	public void onStart(ReceiverContext<?> context) {
		super.onStart(context);
		TraceContext span = getRequiredSpan(context).context();
		if (context.getKind() == Kind.CONSUMER) {
			RedisLogContext.Snapshot carried = this.headers.read((name) -> SpanBaggage.get(getTracer(), span, name));
			context.put(LogContextScopes.class, new LogContextScopes(carried));
		}
		SpanBaggage.clear(getTracer(), span);
	}

	@Override
	public void onScopeOpened(ReceiverContext<?> context) {
		super.onScopeOpened(context);
		LogContextScopes scopes = context.get(LogContextScopes.class);
		if (scopes != null) {
			scopes.open();
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
	 * The log context a message carried, and the scopes open in it: an observation's scope
	 * may open again before it closes, on the same thread or on another one, as tracing's
	 * own scopes do.
	 */
	private static final class LogContextScopes {

		private final RedisLogContext.@Nullable Snapshot carried;

		private final Map<Thread, Deque<RedisLogContext.Scope>> byThread = new ConcurrentHashMap<>();

		LogContextScopes(RedisLogContext.@Nullable Snapshot carried) {
			this.carried = carried;
		}

		void open() {
			this.byThread.computeIfAbsent(Thread.currentThread(), (thread) -> new ArrayDeque<>())
				.push(RedisLogContext.restore(this.carried));
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
