package io.github.redislog.logback;

import java.util.concurrent.atomic.AtomicReference;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.Converter;
import ch.qos.logback.core.pattern.PostCompileProcessor;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PatternLayout} whose output is a record's {@code message} field: without the
 * trailing line breaks a pattern ends with (Spring Boot's ends with {@code %n}), and laid
 * out in a buffer that is kept for the next record. {@code PatternLayout} lays out each
 * event in a new buffer, copies it into a String, and the line break then cost another
 * copy: on the worker, that was a third of the bytes it allocated per record.
 * <p>
 * The buffer is taken for one layout at a time; a thread that finds it taken (a logging
 * thread laying out a record with an exception while the worker lays out another) uses a
 * new one, so nobody waits for it.
 *
 * @author Redis Log contributors
 */
final class MessagePatternLayout extends PatternLayout {

	private static final int INITIAL_BUFFER_SIZE = 256;

	// A buffer grown past this by one long record is not kept for the next ones.
	private static final int MAX_KEPT_BUFFER_SIZE = 16 * 1024;

	private final AtomicReference<@Nullable StringBuilder> spareBuffer = new AtomicReference<>(
			new StringBuilder(INITIAL_BUFFER_SIZE));

	private volatile @Nullable Converter<ILoggingEvent> head;

	MessagePatternLayout() {
		// The only public way to the converters PatternLayout compiles; its own processor
		// (which adds the exception's converter where the pattern has none) still runs.
		PostCompileProcessor<ILoggingEvent> patternLayoutProcessor = this.postCompileProcessor;
		setPostCompileProcessor((context, head) -> {
			patternLayoutProcessor.process(context, head);
			this.head = head;
		});
	}

	@Override
	public String doLayout(ILoggingEvent event) {
		if (!isStarted()) {
			return CoreConstants.EMPTY_STRING;
		}
		StringBuilder taken = this.spareBuffer.getAndSet(null);
		StringBuilder buffer = (taken != null) ? taken : new StringBuilder(INITIAL_BUFFER_SIZE);
		try {
			for (Converter<ILoggingEvent> converter = this.head; converter != null; converter = converter.getNext()) {
				converter.write(buffer, event);
			}
			int end = buffer.length();
			while (end > 0 && (buffer.charAt(end - 1) == '\n' || buffer.charAt(end - 1) == '\r')) {
				end--;
			}
			return buffer.substring(0, end);
		}
		finally {
			if (buffer.capacity() <= MAX_KEPT_BUFFER_SIZE) {
				buffer.setLength(0);
				this.spareBuffer.set(buffer);
			}
		}
	}

}
