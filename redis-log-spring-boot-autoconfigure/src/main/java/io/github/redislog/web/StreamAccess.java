package io.github.redislog.web;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.util.Assert;

/**
 * The checks every request for a stream's entries passes, a live stream or a download:
 * signed in ({@code 401}), a context of their own when they ask for it ({@code 404}), a
 * filter that can be applied ({@code 400}), and the {@link LogStreamAccessPolicy}'s
 * consent ({@code 403}, or {@code 503} when Redis cannot tell). Someone else's context and
 * one that does not exist get the same answer.
 *
 * @author Redis Log contributors
 */
final class StreamAccess {

	private final LogViewerResolver viewers;

	private final LogStreamAccessPolicy accessPolicy;

	StreamAccess(LogViewerResolver viewers, LogStreamAccessPolicy accessPolicy) {
		Assert.notNull(viewers, "'viewers' must not be null");
		Assert.notNull(accessPolicy, "'accessPolicy' must not be null");
		this.viewers = viewers;
		this.accessPolicy = accessPolicy;
	}

	/**
	 * Check a request.
	 * @param request the request
	 * @param target which stream it asks for
	 * @param requested the context id in its path, for {@link Target#CONTEXT}
	 * @param level its {@code level} parameter
	 * @param query its {@code q} parameter
	 * @param instance its {@code instance} parameter
	 * @return the outcome
	 */
	Outcome check(HttpServletRequest request, Target target, @Nullable String requested, @Nullable String level,
			@Nullable String query, @Nullable String instance) {
		LogViewer viewer = this.viewers.resolve(request);
		if (viewer == null) {
			return Outcome.refused(HttpStatus.UNAUTHORIZED);
		}
		String contextId = switch (target) {
			case OWN -> viewer.contextId();
			case GLOBAL -> null;
			case CONTEXT -> requested;
		};
		if (target == Target.OWN && contextId == null) {
			return Outcome.refused(HttpStatus.NOT_FOUND);
		}
		LogStreamFilter filter;
		try {
			filter = LogStreamFilter.of(level, query, instance);
		}
		catch (IllegalArgumentException ex) {
			return Outcome.refused(HttpStatus.BAD_REQUEST);
		}
		try {
			if (!this.accessPolicy.canRead(viewer, contextId)) {
				return Outcome.refused(HttpStatus.FORBIDDEN);
			}
		}
		catch (DataAccessException ex) {
			return Outcome.refused(HttpStatus.SERVICE_UNAVAILABLE);
		}
		return new Outcome(null, viewer, contextId, filter);
	}

	/**
	 * Whose stream a request asks for.
	 */
	enum Target {

		/**
		 * The caller's own context.
		 */
		OWN,

		/**
		 * The global stream.
		 */
		GLOBAL,

		/**
		 * A context named in the path.
		 */
		CONTEXT

	}

	/**
	 * What the checks found.
	 *
	 * @param refusal the status that refuses the request, or {@code null} when it may go on
	 * @param viewer the viewer, when it may go on
	 * @param contextId the context to read, {@code null} for the global stream
	 * @param filter the viewer's filter
	 */
	record Outcome(@Nullable HttpStatus refusal, @Nullable LogViewer viewer, @Nullable String contextId,
			LogStreamFilter filter) {

		static Outcome refused(HttpStatus status) {
			return new Outcome(status, null, null, LogStreamFilter.NONE);
		}

	}

}
