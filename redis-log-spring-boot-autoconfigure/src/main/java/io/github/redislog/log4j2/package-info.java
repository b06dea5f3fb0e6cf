/**
 * Capture of Log4j2 log events: the appender, its registration and the message layout.
 */
@NullMarked
package io.github.redislog.log4j2;

import org.jspecify.annotations.NullMarked;
