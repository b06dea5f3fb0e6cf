/**
 * Servlet integration: sets the log context of each request from its authenticated principal.
 */
@NullMarked
package io.github.redislog.servlet;

import org.jspecify.annotations.NullMarked;
