package io.github.redislog.logback;

import java.util.function.BiConsumer;

import io.github.redislog.capture.LineBuffer;

import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.Converter;
import ch.qos.logback.core.pattern.PostCompileProcessor;
import org.jspecify.annotations.Nullable;

/**
 * A {@link PatternLayout} whose output is a record's {@code message} field: laid out in a
 * {@link LineBuffer}, without trailing line breaks. {@code PatternLayout} itself lays out
 * each event in a new buffer.
 *
 * @author Redis Log contributors
 */
final class MessagePatternLayout extends PatternLayout {

	private final LineBuffer lines = new LineBuffer();

	private final BiConsumer<ILoggingEvent, StringBuilder> converters = this::writeConverters;

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
		return this.lines.layOut(event, this.converters);
	}

	private void writeConverters(ILoggingEvent event, StringBuilder buffer) {
		for (Converter<ILoggingEvent> converter = this.head; converter != null; converter = converter.getNext()) {
			converter.write(buffer, event);
		}
	}

}
