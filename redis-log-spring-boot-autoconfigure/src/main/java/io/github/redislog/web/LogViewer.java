package io.github.redislog.web;

import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * An authenticated user who asks to read a log stream.
 *
 * @author Redis Log contributors
 */
public final class LogViewer {

	private final String name;

	private final @Nullable String contextId;

	private final Predicate<String> authorities;

	/**
	 * Create a viewer.
	 * @param name the user's name
	 * @param contextId the context the user's own requests log to, for example
	 * {@code User.alice}, or {@code null}
	 * @param authorities tells whether the user has an authority
	 */
	public LogViewer(String name, @Nullable String contextId, Predicate<String> authorities) {
		Assert.notNull(name, "'name' must not be null");
		Assert.notNull(authorities, "'authorities' must not be null");
		this.name = name;
		this.contextId = contextId;
		this.authorities = authorities;
	}

	/**
	 * Return the user's name.
	 * @return the name of the principal
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Return the context that the user's own requests log to.
	 * @return the context id, or {@code null} when the user's requests have none
	 */
	public @Nullable String contextId() {
		return this.contextId;
	}

	/**
	 * Return whether the user has an authority.
	 * @param authority the authority, for example {@code ROLE_ADMIN}
	 * @return whether the user has it
	 */
	public boolean hasAuthority(String authority) {
		return this.authorities.test(authority);
	}

	@Override
	public String toString() {
		return "LogViewer[" + this.name + "]";
	}

}
