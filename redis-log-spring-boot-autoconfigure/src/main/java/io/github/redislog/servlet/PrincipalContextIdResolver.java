package io.github.redislog.servlet;

import java.security.Principal;

import io.github.redislog.RedisLogContext;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Resolves {@code User.{name}} from the request's authenticated principal, as the
 * reference handler does. With Spring Security the principal is the
 * {@code Authentication} and an anonymous request has none, so it gets no user context.
 *
 * @author Redis Log contributors
 */
public final class PrincipalContextIdResolver implements RequestContextIdResolver {

	/**
	 * Prefix of user context ids.
	 */
	public static final String USER_PREFIX = RedisLogContext.USER_CONTEXT_PREFIX;

	@Override
	public @Nullable String resolve(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		return (principal != null) ? USER_PREFIX + principal.getName() : null;
	}

}
