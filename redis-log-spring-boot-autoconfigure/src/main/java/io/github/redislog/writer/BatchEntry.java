package io.github.redislog.writer;

import org.jspecify.annotations.Nullable;

/**
 * A record of a {@link LogBatch} and what it still owes its channels: the global one, and
 * its context's if it has one.
 *
 * @author Redis Log contributors
 */
public final class BatchEntry {

	private final LogPayload payload;

	private final int record;

	private final ChannelDelivery global;

	private @Nullable ChannelDelivery context;

	private @Nullable String refusal;

	private boolean unanswered;

	BatchEntry(LogPayload payload, int record, BatchTarget global, int globalSteps) {
		this.payload = payload;
		this.record = record;
		this.global = new ChannelDelivery(this, global, globalSteps);
	}

	/**
	 * Return the caller's number for the record.
	 * @return the number, or {@code -1} for a note
	 */
	public int record() {
		return this.record;
	}

	/**
	 * Return the command that was given up, and why.
	 * @return for example {@code XADD stream:logs:User.bob: WRONGTYPE ...}, or {@code null}
	 * while the record may still be delivered
	 */
	public @Nullable String refusal() {
		return this.refusal;
	}

	/**
	 * Return whether the record was given up because the publisher kept returning without
	 * a reply to one of its commands, rather than because Redis refused one for good.
	 * @return whether the record went unanswered
	 */
	public boolean isUnanswered() {
		return this.unanswered;
	}

	LogPayload payload() {
		return this.payload;
	}

	ChannelDelivery global() {
		return this.global;
	}

	@Nullable ChannelDelivery context() {
		return this.context;
	}

	void deliverTo(BatchTarget target, int steps) {
		this.context = new ChannelDelivery(this, target, steps);
	}

	void giveUp(String refusal, boolean unanswered) {
		if (this.refusal == null) {
			this.refusal = refusal;
			this.unanswered = unanswered;
		}
	}

	boolean isDelivered() {
		return this.global.isComplete() && (this.context == null || this.context.isComplete());
	}

}
