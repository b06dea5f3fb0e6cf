/**
 * Carries the log context as Micrometer Tracing baggage from the application that sends
 * a message to the one that handles it.
 */
@NullMarked
package io.github.redislog.tracing;

import org.jspecify.annotations.NullMarked;
