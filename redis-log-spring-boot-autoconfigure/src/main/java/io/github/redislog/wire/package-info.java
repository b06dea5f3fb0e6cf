/**
 * The wire contract that writers and readers share: channel and stream names, the
 * encoding of a context id into them, the stream entry's field and the pub/sub mode.
 */
@NullMarked
package io.github.redislog.wire;

import org.jspecify.annotations.NullMarked;
