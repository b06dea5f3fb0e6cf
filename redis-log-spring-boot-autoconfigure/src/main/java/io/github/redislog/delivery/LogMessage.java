package io.github.redislog.delivery;

/**
 * The message of a {@link LogRecord}: the text the configured layout made of it, or the
 * frozen event that the layout is still to lay out on the worker thread, the costliest part
 * of a record, with that layout. Either way a value: records with equal messages are equal,
 * and {@code toString} shows what the record holds.
 *
 * @author Redis Log contributors
 */
public sealed interface LogMessage permits LogMessage.LaidOut, LogMessage.Deferred {

	/**
	 * Return the text: the record formatted by the configured layout, truncated if
	 * oversized. A deferred message is laid out on each call.
	 * @return the text
	 */
	String text();

	/**
	 * A message laid out already.
	 *
	 * @param text the record formatted by the configured layout, truncated if oversized
	 */
	record LaidOut(String text) implements LogMessage {

	}

	/**
	 * A message to lay out when it is written, from what the event held on the logging
	 * thread.
	 *
	 * @param <E> the logging backend's event type
	 * @param event a frozen copy of the event: nothing the caller does later changes it
	 * @param layout lays the event out
	 */
	record Deferred<E>(E event, Layout<E> layout) implements LogMessage {

		/**
		 * Lay the event out; called on the worker thread, it may throw if the layout's
		 * converters do.
		 * @return the text
		 */
		@Override
		public String text() {
			return this.layout.layOut(this.event);
		}

	}

	/**
	 * Lays out the frozen events of one logging backend.
	 *
	 * @param <E> the backend's event type
	 */
	interface Layout<E> {

		/**
		 * Lay out an event as the {@code message} field holds it.
		 * @param event the event
		 * @return the text, truncated if oversized
		 */
		String layOut(E event);

	}

}
