package io.github.redislog.capture;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

import org.jspecify.annotations.Nullable;

/**
 * Where a pattern layout writes one record, kept from one record to the next, and whose
 * text comes out without the trailing line breaks a pattern ends with (Spring Boot's end
 * with {@code %n}). A layout that returns a String lays out each record in a new buffer and
 * copies it, and cutting off the line break then copies it once more: on the worker, that
 * was a third of the bytes allocated per record.
 * <p>
 * The buffer is taken for one record at a time; a thread that finds it taken (a logging
 * thread laying out a record with an exception while the worker lays out another) uses a
 * new one, so that nobody waits for it.
 *
 * @author Redis Log contributors
 */
public final class LineBuffer {

	private static final int INITIAL_SIZE = 256;

	// A buffer grown past this by one long record is not kept for the next ones.
	private static final int MAX_KEPT_SIZE = 16 * 1024;

	private final AtomicReference<@Nullable StringBuilder> spare = new AtomicReference<>(
			new StringBuilder(INITIAL_SIZE));

	/**
	 * Lay out an event and return its text without trailing line breaks.
	 * @param <E> the event type
	 * @param event the event
	 * @param layout writes the event to the buffer it is given
	 * @return the text
	 */
	public <E> String layOut(E event, BiConsumer<E, StringBuilder> layout) {
		StringBuilder taken = this.spare.getAndSet(null);
		StringBuilder buffer = (taken != null) ? taken : new StringBuilder(INITIAL_SIZE);
		try {
			layout.accept(event, buffer);
			return buffer.substring(0, MessageText.endWithoutLineBreaks(buffer));
		}
		finally {
			if (buffer.capacity() <= MAX_KEPT_SIZE) {
				buffer.setLength(0);
				this.spare.set(buffer);
			}
		}
	}

}
