package io.github.redislog.web;

import org.jspecify.annotations.Nullable;

/**
 * Why a client's event stream ended. The server tells the client in a final {@code end}
 * event when it still can.
 *
 * @author Redis Log contributors
 */
public enum StreamEnd {

	/**
	 * The client closed the connection, or writing to it failed.
	 */
	CLIENT_CLOSED("client_closed", null),

	/**
	 * The client did not take what was sent within the send timeout, or fell further
	 * behind than its buffer.
	 */
	SLOW("slow", null),

	/**
	 * The viewer may no longer read the stream: signed out, session ended, or access
	 * revoked.
	 */
	UNAUTHORIZED("unauthorized", "unauthorized"),

	/**
	 * The stream was open for the longest time allowed; the browser reconnects and
	 * resumes.
	 */
	TIMEOUT("timeout", "timeout"),

	/**
	 * Redis could not be read; the browser reconnects and resumes.
	 */
	UNAVAILABLE("unavailable", "unavailable"),

	/**
	 * The application is shutting down.
	 */
	SHUTDOWN("shutdown", "shutdown");

	private final String tag;

	private final byte @Nullable [] frame;

	StreamEnd(String tag, @Nullable String event) {
		this.tag = tag;
		this.frame = (event != null) ? SseFrames.end(event) : null;
	}

	/**
	 * Return the name of this reason in metrics.
	 * @return the tag value, for example {@code slow}
	 */
	public String tag() {
		return this.tag;
	}

	byte @Nullable [] frame() {
		return this.frame;
	}

}
