/**
 * What every part of the starter uses: where the starter reports its own trouble, which
 * failures a thread of the starter may survive, and the threads whose records are never
 * published.
 */
@NullMarked
package io.github.redislog.support;

import org.jspecify.annotations.NullMarked;
