package io.github.redislog.delivery;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Records of one context dropped for one reason, not yet noted in the streams.
 *
 * @param contextId the context the records were logged in, or {@code null} for records
 * without one or of {@code otherContexts}
 * @param otherContexts whether the records are of contexts beyond the number that drop
 * tracking follows one by one
 * @param reason why they were dropped
 * @param records how many
 * @param first when the first of them was dropped, or logged if it was dropped as it was
 * logged (queue full)
 * @param last when the last of them was dropped, or logged as for {@code first}
 * @author Redis Log contributors
 */
public record DroppedGap(@Nullable String contextId, boolean otherContexts, DropReason reason, long records,
		Instant first, Instant last) {

	/**
	 * Logger name of the notes, by which readers tell them from the application's records.
	 */
	public static final String NOTE_LOGGER = "io.github.redislog";

	/**
	 * Return the note written into the affected streams.
	 * @return for example {@code 1234 log records dropped (queue_full) between T1 and T2}
	 */
	public String describe() {
		String whose = "";
		if (this.otherContexts) {
			whose = " of other contexts";
		}
		else if (this.contextId != null && noteContextId() == null) {
			whose = " of " + this.contextId;
		}
		return this.records + " log records" + whose + " dropped (" + this.reason.tag() + ") between " + this.first
				+ " and " + this.last;
	}

	/**
	 * Return the context whose stream the note goes to, besides the global one: the gap's
	 * own, unless Redis refused that stream's records (it would refuse the note too) or
	 * the gap covers other contexts.
	 * @return the context id, or {@code null} for the global stream only
	 */
	public @Nullable String noteContextId() {
		return (this.otherContexts || this.reason == DropReason.REJECTED) ? null : this.contextId;
	}

}
