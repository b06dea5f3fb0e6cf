package io.github.redislog.delivery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Records of one context dropped for one reason, not yet noted in the streams.
 *
 * @param contextId the context the records were logged in, or {@code null}
 * @param reason why they were dropped
 * @param records how many
 * @param first when the first of them was dropped, or logged if it was dropped as it was
 * logged (queue full)
 * @param last when the last of them was dropped, or logged as for {@code first}
 * @author Redis Log contributors
 */
public record DroppedGap(@Nullable String contextId, DropReason reason, long records, Instant first, Instant last) {

	/**
	 * Return the note written into the affected streams.
	 * @return for example {@code 1234 log records dropped (queue_full) between T1 and T2}
	 */
	public String describe() {
		return this.records + " log records dropped (" + this.reason.tag() + ") between " + this.first + " and "
				+ this.last;
	}

}
