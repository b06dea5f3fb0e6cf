/**
 * Writing a batch to Redis: the commands it needs in order and how their replies settle
 * its records, which refusals are final, and the publishers that send the commands, over a
 * connection of their own speaking the Redis protocol or through Spring Data Redis' Lettuce
 * and Jedis connections, including a Redis Cluster.
 */
@NullMarked
package io.github.redislog.writer;

import org.jspecify.annotations.NullMarked;
