/**
 * Actuator health of the delivery of log records to Redis.
 */
@NullMarked
package io.github.redislog.health;

import org.jspecify.annotations.NullMarked;
