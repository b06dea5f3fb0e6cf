package io.github.redislog.servlet;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * Decides which context the records logged while serving a request belong to. Declare a
 * bean of this type to replace the default, {@link PrincipalContextIdResolver}.
 *
 * @author Redis Log contributors
 */
@FunctionalInterface
public interface RequestContextIdResolver {

	/**
	 * Return the context id of a request.
	 * @param request the request
	 * @return the context id, or {@code null} for records that go to the global stream
	 * only
	 */
	@Nullable String resolve(HttpServletRequest request);

}
