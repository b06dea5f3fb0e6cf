/**
 * Carries the log context with messages, so that a job continued by a message listener in
 * another application logs into the same job stream.
 */
@NullMarked
package io.github.redislog.messaging;

import org.jspecify.annotations.NullMarked;
