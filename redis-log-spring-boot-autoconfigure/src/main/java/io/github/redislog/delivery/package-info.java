/**
 * Delivery of captured log records to Redis: bounded queue, worker, routing and payload.
 */
@NullMarked
package io.github.redislog.delivery;

import org.jspecify.annotations.NullMarked;
