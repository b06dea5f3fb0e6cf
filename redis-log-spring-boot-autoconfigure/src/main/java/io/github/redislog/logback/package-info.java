/**
 * Logback integration: the appender that captures records and the status path for the starter's own trouble.
 */
@NullMarked
package io.github.redislog.logback;

import org.jspecify.annotations.NullMarked;
