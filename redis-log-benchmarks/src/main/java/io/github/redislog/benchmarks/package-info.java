/**
 * Benchmarks of the starter: the caller cost of a log call (JMH) and an end-to-end load
 * tool that measures delivery against the Redis ceiling. See {@code BENCHMARKS.md}.
 */
@NullMarked
package io.github.redislog.benchmarks;

import org.jspecify.annotations.NullMarked;
