package io.github.redislog.web;

import io.github.redislog.servlet.PrincipalContextIdResolver;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The default {@link LogStreamAccessPolicy}: a viewer with the global authority reads
 * every stream; any other viewer reads their own context and the contexts they own (the
 * jobs they started, whose owner key holds their context id). A user's context
 * ({@code User.{name}}) is read only by that user: its owner key, whatever it holds, is
 * never consulted, so nobody becomes its owner by logging into it.
 *
 * @author Redis Log contributors
 */
public final class OwnerLogStreamAccessPolicy implements LogStreamAccessPolicy {

	private final LogStreams streams;

	private final String globalAuthority;

	/**
	 * Create a policy.
	 * @param streams where the owners of contexts are looked up
	 * @param globalAuthority the authority that reads every stream
	 */
	public OwnerLogStreamAccessPolicy(LogStreams streams, String globalAuthority) {
		Assert.notNull(streams, "'streams' must not be null");
		Assert.hasText(globalAuthority, "'globalAuthority' must not be empty");
		this.streams = streams;
		this.globalAuthority = globalAuthority;
	}

	@Override
	public boolean canRead(LogViewer viewer, @Nullable String contextId) {
		if (viewer.hasAuthority(this.globalAuthority)) {
			return true;
		}
		String own = viewer.contextId();
		if (contextId == null || own == null) {
			return false;
		}
		if (contextId.equals(own)) {
			return true;
		}
		return !contextId.startsWith(PrincipalContextIdResolver.USER_PREFIX) && this.streams.isOwnedBy(contextId, own);
	}

}
