/**
 * Live view of the log streams: Server-Sent Events with replay and gap-free resume, read by
 * one shared reader, and a terminal page.
 */
@NullMarked
package io.github.redislog.web;

import org.jspecify.annotations.NullMarked;
