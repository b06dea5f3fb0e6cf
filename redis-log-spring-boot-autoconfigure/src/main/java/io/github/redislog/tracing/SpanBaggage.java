package io.github.redislog.tracing;

import io.github.redislog.messaging.ContextHeaders;
import io.micrometer.tracing.Baggage;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * Reads and clears the log context's baggage fields of a span, with either tracing bridge.
 *
 * @author Redis Log contributors
 */
final class SpanBaggage {

	private SpanBaggage() {
	}

	static @Nullable String get(Tracer tracer, TraceContext span, String name) {
		Baggage baggage = tracer.getBaggage(span, name);
		return (baggage != null) ? baggage.get(span) : null;
	}

	static boolean isSet(Tracer tracer, TraceContext span, String name) {
		String value = get(tracer, span, name);
		return value != null && !value.isEmpty();
	}

	/**
	 * Clear both fields of a span for good, so that no span made under it, by an observed
	 * client or any other instrumentation, passes them on. An empty value reads as none.
	 * @param tracer the tracer
	 * @param span the span
	 */
	// Baggage.set is the one call of both bridges that updates a span's baggage without
	// a scope to close, which would put the previous value back.
	@SuppressWarnings("deprecation")
	static void clear(Tracer tracer, TraceContext span) {
		for (String name : new String[] { ContextHeaders.CONTEXT, ContextHeaders.OWNER }) {
			Baggage baggage = tracer.getBaggage(span, name);
			String value = (baggage != null) ? baggage.get(span) : null;
			if (value != null && !value.isEmpty()) {
				baggage.set(span, "");
			}
		}
	}

}
