/**
 * Auto-configuration for Redis Log.
 */
@NullMarked
package io.github.redislog.autoconfigure;

import org.jspecify.annotations.NullMarked;
