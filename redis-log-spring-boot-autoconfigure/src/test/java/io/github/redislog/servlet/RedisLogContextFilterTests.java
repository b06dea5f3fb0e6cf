package io.github.redislog.servlet;

import java.util.concurrent.atomic.AtomicReference;

import io.github.redislog.RedisLogContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link RedisLogContextFilter}.
 */
class RedisLogContextFilterTests {

	private final RedisLogContextFilter filter = new RedisLogContextFilter(new PrincipalContextIdResolver());

	private final AtomicReference<String> seen = new AtomicReference<>();

	@AfterEach
	void clear() {
		RedisLogContext.current().ifPresent((leaked) -> {
			throw new AssertionError("Context leaked: " + leaked);
		});
	}

	@Test
	void setsUserContextWhileServingAnAuthenticatedRequestAndClearsItAfterwards() throws Exception {
		this.filter.doFilter(request("alice", DispatcherType.REQUEST), new MockHttpServletResponse(), recordingChain());
		assertThat(this.seen).hasValue("User.alice");
		assertThat(RedisLogContext.current()).isEmpty();
	}

	@Test
	void anonymousRequestHasNoContextEvenOnAThreadThatCarriedOne() throws Exception {
		try (RedisLogContext.Scope leaked = RedisLogContext.openUserContext("mallory")) {
			this.filter.doFilter(request(null, DispatcherType.REQUEST), new MockHttpServletResponse(),
					recordingChain());
		}
		assertThat(this.seen).hasValue("none");
	}

	@Test
	void clearsContextWhenTheRequestFails() {
		MockFilterChain failing = new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
			@Override
			protected void service(jakarta.servlet.http.HttpServletRequest req,
					jakarta.servlet.http.HttpServletResponse resp) throws ServletException {
				throw new ServletException("boom");
			}
		});
		assertThatExceptionOfType(ServletException.class).isThrownBy(
				() -> this.filter.doFilter(request("alice", DispatcherType.REQUEST), new MockHttpServletResponse(), failing));
		assertThat(RedisLogContext.current()).isEmpty();
	}

	@Test
	void setsContextOnAsyncAndErrorDispatches() throws Exception {
		this.filter.doFilter(request("bob", DispatcherType.ASYNC), new MockHttpServletResponse(), recordingChain());
		assertThat(this.seen).hasValue("User.bob");
		this.seen.set(null);
		this.filter.doFilter(request("bob", DispatcherType.ERROR), new MockHttpServletResponse(), recordingChain());
		assertThat(this.seen).hasValue("User.bob");
	}

	private MockHttpServletRequest request(String user, DispatcherType dispatcherType) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.setDispatcherType(dispatcherType);
		if (user != null) {
			request.setUserPrincipal(UsernamePasswordAuthenticationToken.authenticated(user, "n/a", java.util.List.of()));
		}
		return request;
	}

	private MockFilterChain recordingChain() {
		return new MockFilterChain(new jakarta.servlet.http.HttpServlet() {
			@Override
			protected void service(jakarta.servlet.http.HttpServletRequest req,
					jakarta.servlet.http.HttpServletResponse resp) {
				RedisLogContextFilterTests.this.seen.set(RedisLogContext.current().orElse("none"));
			}
		});
	}

}
