/**
 * Public API of Redis Log: routing log records to a user's or a job's stream.
 */
@NullMarked
package io.github.redislog;

import org.jspecify.annotations.NullMarked;
