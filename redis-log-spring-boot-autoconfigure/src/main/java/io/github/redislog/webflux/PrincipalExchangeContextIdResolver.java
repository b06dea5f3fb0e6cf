package io.github.redislog.webflux;

import io.github.redislog.RedisLogContext;
import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Resolves {@code User.{name}} from the exchange's principal, for applications without
 * Spring Security.
 *
 * @author Redis Log contributors
 */
public final class PrincipalExchangeContextIdResolver implements ExchangeContextIdResolver {

	@Override
	public Mono<String> resolve(ServerWebExchange exchange) {
		return exchange.getPrincipal().map((principal) -> RedisLogContext.USER_CONTEXT_PREFIX + principal.getName());
	}

}
