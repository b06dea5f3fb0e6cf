package io.github.redislog.tracing;

import io.micrometer.tracing.Baggage;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import org.jspecify.annotations.Nullable;

/**
 * Reads a baggage field of a span, with either tracing bridge.
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

}
