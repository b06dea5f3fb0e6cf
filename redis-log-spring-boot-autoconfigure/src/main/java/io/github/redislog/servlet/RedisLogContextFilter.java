package io.github.redislog.servlet;

import java.io.IOException;

import io.github.redislog.RedisLogContext;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Sets the log context of each dispatch (request, async and error) from the
 * {@link RequestContextIdResolver} and always clears it afterwards, so that a pooled
 * thread never carries one user's context into another user's request. Must run after the
 * filter that authenticates the request.
 *
 * @author Redis Log contributors
 */
public final class RedisLogContextFilter extends OncePerRequestFilter {

	private final RequestContextIdResolver resolver;

	public RedisLogContextFilter(RequestContextIdResolver resolver) {
		this.resolver = resolver;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String contextId = this.resolver.resolve(request);
		clear();
		try {
			if (contextId != null && !contextId.isEmpty()) {
				MDC.put(RedisLogContext.MDC_KEY, contextId);
			}
			chain.doFilter(request, response);
		}
		finally {
			clear();
		}
	}

	private static void clear() {
		MDC.remove(RedisLogContext.MDC_KEY);
		MDC.remove(RedisLogContext.OWNER_MDC_KEY);
	}

	@Override
	protected boolean shouldNotFilterAsyncDispatch() {
		return false;
	}

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

}
