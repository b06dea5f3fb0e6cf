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
	 * thread. The frozen copy of the event implements it itself, so that a record holds one
	 * object for its event and its message rather than two; implementations are values:
	 * equal when their events and layouts are.
	 *
	 * @param <E> the logging backend's event type
	 */
	non-sealed interface Deferred<E> extends LogMessage {

		/**
		 * Return the frozen copy of the event: nothing the caller does later changes it.
		 * @return the event
		 */
		E event();

		/**
		 * Return what lays the event out.
		 * @return the layout
		 */
		Layout<E> layout();

		/**
		 * Lay the event out; called on the worker thread, it may throw if the layout's
		 * converters do.
		 * @return the text
		 */
		@Override
		default String text() {
			return layout().layOut(event());
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
