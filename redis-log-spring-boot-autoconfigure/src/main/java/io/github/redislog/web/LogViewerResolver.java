package io.github.redislog.web;

import java.security.Principal;

import io.github.redislog.servlet.RequestContextIdResolver;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.util.Assert;
import org.springframework.util.ClassUtils;

/**
 * Turns a request's authenticated principal into the {@link LogViewer} the access policy
 * judges: with Spring Security its authorities, otherwise the container's roles.
 *
 * @author Redis Log contributors
 */
final class LogViewerResolver {

	private static final boolean SPRING_SECURITY_PRESENT = ClassUtils
		.isPresent("org.springframework.security.core.Authentication", LogViewerResolver.class.getClassLoader());

	private final RequestContextIdResolver contextIdResolver;

	LogViewerResolver(RequestContextIdResolver contextIdResolver) {
		Assert.notNull(contextIdResolver, "'contextIdResolver' must not be null");
		this.contextIdResolver = contextIdResolver;
	}

	/**
	 * Return the viewer who sent a request.
	 * @param request the request
	 * @return the viewer, or {@code null} when the request is not authenticated
	 */
	@Nullable LogViewer resolve(HttpServletRequest request) {
		Principal principal = request.getUserPrincipal();
		if (principal == null) {
			return null;
		}
		String contextId = this.contextIdResolver.resolve(request);
		if (SPRING_SECURITY_PRESENT && SpringSecurity.isAuthentication(principal)) {
			return SpringSecurity.viewer(principal, contextId);
		}
		return new LogViewer(principal.getName(), contextId, request::isUserInRole);
	}

	/**
	 * Authorities of a Spring Security principal, kept apart so that the resolver loads
	 * without Spring Security.
	 */
	private static final class SpringSecurity {

		static boolean isAuthentication(Principal principal) {
			return principal instanceof Authentication;
		}

		static @Nullable LogViewer viewer(Principal principal, @Nullable String contextId) {
			Authentication authentication = (Authentication) principal;
			if (!authentication.isAuthenticated()) {
				return null;
			}
			return new LogViewer(authentication.getName(), contextId,
					(authority) -> hasAuthority(authentication, authority));
		}

		private static boolean hasAuthority(Authentication authentication, String authority) {
			for (GrantedAuthority granted : authentication.getAuthorities()) {
				if (authority.equals(granted.getAuthority())) {
					return true;
				}
			}
			return false;
		}

	}

}
