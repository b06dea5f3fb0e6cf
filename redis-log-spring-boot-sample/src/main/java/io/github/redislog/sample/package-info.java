/**
 * Sample web application whose logs stream to Redis, per user, per job and global.
 */
@NullMarked
package io.github.redislog.sample;

import org.jspecify.annotations.NullMarked;
