package io.github.redislog.webflux;

import io.github.redislog.RedisLogContext;
import reactor.core.publisher.Mono;

import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves {@code User.{name}} from the authentication in Spring Security's
 * {@link ReactiveSecurityContextHolder}. An anonymous exchange gets no user context, as
 * with the servlet filter.
 *
 * @author Redis Log contributors
 */
public final class SecurityContextExchangeContextIdResolver implements ExchangeContextIdResolver {

	private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();

	@Override
	public Mono<String> resolve(ServerWebExchange exchange) {
		return ReactiveSecurityContextHolder.getContext()
			.mapNotNull(SecurityContext::getAuthentication)
			.filter(this.trustResolver::isAuthenticated)
			.map((authentication) -> RedisLogContext.USER_CONTEXT_PREFIX + authentication.getName());
	}

}
