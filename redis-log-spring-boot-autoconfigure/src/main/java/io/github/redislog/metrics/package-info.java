/**
 * Micrometer meters of the records the starter delivers and drops.
 */
@NullMarked
package io.github.redislog.metrics;

import org.jspecify.annotations.NullMarked;
