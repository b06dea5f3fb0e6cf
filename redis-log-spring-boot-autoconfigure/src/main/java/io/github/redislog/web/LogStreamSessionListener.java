package io.github.redislog.web;

import jakarta.servlet.http.HttpSessionEvent;
import jakarta.servlet.http.HttpSessionListener;

import org.springframework.util.Assert;

/**
 * Ends the event streams of an HTTP session when the session ends, for example when its
 * user signs out: they end with an {@code end} event whose data is {@code unauthorized}.
 *
 * @author Redis Log contributors
 */
public final class LogStreamSessionListener implements HttpSessionListener {

	private final LogStreamReader reader;

	/**
	 * Create a listener.
	 * @param reader the reader whose streams to end
	 */
	public LogStreamSessionListener(LogStreamReader reader) {
		Assert.notNull(reader, "'reader' must not be null");
		this.reader = reader;
	}

	@Override
	public void sessionDestroyed(HttpSessionEvent event) {
		this.reader.endSession(event.getSession().getId());
	}

}
