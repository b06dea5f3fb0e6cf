package io.github.redislog.webflux;

import io.github.redislog.RedisLogContext;
import io.github.redislog.context.RedisLogContextAccessor;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Puts the log context of each exchange, from the {@link ExchangeContextIdResolver}, into
 * the Reactor context of the rest of the chain, where Reactor's automatic context
 * propagation makes it the thread's log context wherever the exchange's pipeline runs,
 * on any scheduler. An exchange without a context runs with none, whatever the context
 * of the caller. Must run after the filter that authenticates the exchange.
 *
 * @author Redis Log contributors
 */
public final class RedisLogContextWebFilter implements WebFilter, Ordered {

	/**
	 * Order of the filter: after Spring Security's {@code WebFilterChainProxy} (order
	 * -100), which authenticates the exchange.
	 */
	public static final int ORDER = -90;

	private final ExchangeContextIdResolver resolver;

	public RedisLogContextWebFilter(ExchangeContextIdResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		return this.resolver.resolve(exchange)
			.filter((contextId) -> !contextId.isEmpty())
			.map((contextId) -> Context.of(RedisLogContextAccessor.KEY, new RedisLogContext.Snapshot(contextId, null)))
			.defaultIfEmpty(Context.empty())
			.flatMap((context) -> chain.filter(exchange)
				.contextWrite((upstream) -> upstream.delete(RedisLogContextAccessor.KEY).putAll(context.readOnly())));
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
