/**
 * WebFlux integration: sets the log context of each exchange from its authenticated user.
 */
@NullMarked
package io.github.redislog.webflux;

import org.jspecify.annotations.NullMarked;
