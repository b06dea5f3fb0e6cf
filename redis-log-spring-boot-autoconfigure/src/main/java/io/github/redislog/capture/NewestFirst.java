package io.github.redislog.capture;

import java.util.ArrayDeque;
import java.util.Deque;

import org.jspecify.annotations.Nullable;

/**
 * The appenders of the application contexts that run the starter on one logging backend,
 * newest first: the newest takes the events, and when it leaves, the one added before it
 * takes over. Callers synchronize; reading the active one needs no lock.
 *
 * @param <T> the appender type
 * @author Redis Log contributors
 */
public final class NewestFirst<T> {

	private final Deque<T> added = new ArrayDeque<>();

	private volatile @Nullable T active;

	/**
	 * Make an appender the active one.
	 * @param appender the appender of an application context that starts
	 */
	public void add(T appender) {
		this.added.push(appender);
		this.active = appender;
	}

	/**
	 * Remove an appender; the newest of those left becomes the active one.
	 * @param appender the appender of an application context that stops
	 * @return whether none is left
	 */
	public boolean remove(T appender) {
		this.added.remove(appender);
		this.active = this.added.peek();
		return this.active == null;
	}

	/**
	 * Return the appender that takes the events.
	 * @return the newest appender, or {@code null} if none is left
	 */
	public @Nullable T active() {
		return this.active;
	}

}
