/**
 * Carries the log context across threads with Micrometer context-propagation.
 */
@NullMarked
package io.github.redislog.context;

import org.jspecify.annotations.NullMarked;
