/**
 * What the appenders of every logging backend share on the logging thread: which loggers
 * are left out, how an event is accounted for and captured as a record for the queue, the
 * text rules of a message, and which application context's appender takes the events.
 */
@NullMarked
package io.github.redislog.capture;

import org.jspecify.annotations.NullMarked;
