package io.github.redislog.webflux;

import reactor.core.publisher.Mono;

import org.springframework.web.server.ServerWebExchange;

/**
 * Decides which context the records logged while serving an exchange belong to: the
 * reactive counterpart of the servlet {@code RequestContextIdResolver}. Declare a bean of
 * this type to replace the default.
 *
 * @author Redis Log contributors
 */
@FunctionalInterface
public interface ExchangeContextIdResolver {

	/**
	 * Return the context id of an exchange.
	 * @param exchange the exchange
	 * @return the context id, or empty for records that go to the global stream only
	 */
	Mono<String> resolve(ServerWebExchange exchange);

}
