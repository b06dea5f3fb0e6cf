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
	 * Return whether a viewer may read, and purge, a stream. Asked when a stream is opened
	 * and, for a context that Redis did not know then, again before its first entry is
	 * sent.
	 * @param viewer the authenticated viewer
	 * @param contextId the raw id of the context whose stream is asked for, or
	 * {@code null} for the global stream
	 * @return whether the viewer may read it
	 */
	boolean canRead(LogViewer viewer, @Nullable String contextId);

}
