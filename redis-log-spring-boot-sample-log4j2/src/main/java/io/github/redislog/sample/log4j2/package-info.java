/**
 * Sample application on Log4j2 whose logs stream to Redis.
 */
@NullMarked
package io.github.redislog.sample.log4j2;

import org.jspecify.annotations.NullMarked;
