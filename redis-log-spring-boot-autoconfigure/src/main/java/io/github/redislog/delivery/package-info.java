/**
 * From the queue to Redis: the bounded queue between the logging threads and the worker,
 * the worker, the delivery of its batches with payloads and retries, the accounting of
 * every record (published, dropped and why) and the throttled reports about trouble.
 */
@NullMarked
package io.github.redislog.delivery;

import org.jspecify.annotations.NullMarked;
