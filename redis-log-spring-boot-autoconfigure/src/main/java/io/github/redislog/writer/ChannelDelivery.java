package io.github.redislog.writer;

/**
 * What one record of a batch still owes one channel: the steps not yet accepted by Redis.
 *
 * @author Redis Log contributors
 */
final class ChannelDelivery {

	private final BatchEntry entry;

	private final BatchTarget target;

	private int pendingSteps;

	ChannelDelivery(BatchEntry entry, BatchTarget target, int pendingSteps) {
		this.entry = entry;
		this.target = target;
		this.pendingSteps = pendingSteps;
	}

	BatchEntry entry() {
		return this.entry;
	}

	BatchTarget target() {
		return this.target;
	}

	int pendingSteps() {
		return this.pendingSteps;
	}

	boolean owes(Step step) {
		return (this.pendingSteps & step.bit()) != 0;
	}

	void settled(Step step) {
		this.pendingSteps &= ~step.bit();
	}

	boolean isComplete() {
		return this.pendingSteps == 0;
	}

}
