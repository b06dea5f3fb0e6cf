package io.github.redislog.web;

import org.jspecify.annotations.Nullable;

/**
 * Decides who may read, and purge, which log stream. Declare a bean of this type to
 * replace the default, {@link OwnerLogStreamAccessPolicy}.
 *
 * @author Redis Log contributors
 */
@FunctionalInterface
public interface LogStreamAccessPolicy {

	/**
	 * Return whether a viewer may read, and purge, a stream. Asked when a stream is opened,
	 * and again at every keepalive while it is open, on a thread of the live view: a stream
	 * whose viewer may no longer read it ends. A context that does not exist should get the
	 * same answer as one the viewer may not read, so that the answer tells nobody which
	 * contexts exist.
	 * @param viewer the authenticated viewer
	 * @param contextId the raw id of the context whose stream is asked for, or
	 * {@code null} for the global stream
	 * @return whether the viewer may read it
	 */
	boolean canRead(LogViewer viewer, @Nullable String contextId);

}
