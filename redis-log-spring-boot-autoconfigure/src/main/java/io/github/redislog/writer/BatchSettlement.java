package io.github.redislog.writer;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Settles a batch's records after each write from the replies its {@link CommandPlan}
 * got: a command Redis accepted is never sent again, one it refused for now (out of
 * memory, a failover) or that got no reply goes again with the next attempt, and a record
 * with a command Redis refused for good ({@code WRONGTYPE}, {@code NOPERM}) is given up
 * at once, so it cannot hold up the others.
 * <p>
 * An owner or an expiry is one command for all the records of its channel, and its reply
 * settles it for all. Refused for good, it costs no record whose entry is in the stream:
 * the record is delivered, and the refused command is reported on its own
 * ({@link AttemptOutcome#refusedOwners}, {@link AttemptOutcome#refusedExpiries}). A
 * publisher that returns without a reply to some commands gets
 * {@value #MAX_UNANSWERED_ATTEMPTS} attempts in a row; then the records waiting for those
 * replies are given up as unanswered.
 *
 * @author Redis Log contributors
 */
final class BatchSettlement {

	/**
	 * How many attempts in a row a publisher may return without a reply to a command
	 * before the records that wait for it are given up.
	 */
	static final int MAX_UNANSWERED_ATTEMPTS = 5;

	private int unansweredAttempts;

	/**
	 * Apply the replies of the last write: take out the entries that are delivered and
	 * those given up, and keep the others for the next attempt.
	 * @param plan the last write's commands and replies
	 * @param entries the batch's entries, from which the settled ones are removed
	 * @param failure what the publisher threw, or {@code null}; unless it is transient,
	 * the commands it left without a reply are refused for good
	 * @return what the attempt settled
	 */
	AttemptOutcome settle(CommandPlan plan, List<BatchEntry> entries, @Nullable Throwable failure) {
		Refusal unanswered = unansweredRefusal(plan, failure);
		Attempt attempt = new Attempt(entries);
		// A shared command settles after the entries' own: whether it costs a record
		// depends on whether the record's entry is in the stream.
		for (boolean shared : new boolean[] { false, true }) {
			for (int i = 0; i < plan.count(); i++) {
				if ((plan.delivery(i) == null) == shared) {
					settle(plan, i, unanswered, attempt);
				}
			}
		}
		if (plan.count() == 0 && (failure == null || unanswered.givenUp())) {
			// Wrote no command, and did not fail for now: nothing would ever get these through.
			String refusal = (failure != null) ? unanswered.error() : "the publisher wrote none of the batch's commands";
			entries.forEach((entry) -> entry.giveUp(refusal, false));
		}
		plan.forget();
		return attempt.takeSettled();
	}

	/**
	 * Forget the unanswered attempts of the previous batch.
	 */
	void reset() {
		this.unansweredAttempts = 0;
	}

	private void settle(CommandPlan plan, int command, Refusal unanswered, Attempt attempt) {
		String error = plan.error(command);
		if (plan.isAccepted(command)) {
			attempt.acceptedCommands++;
			accept(plan, command, attempt.entries);
		}
		else if (plan.isRefused(command) && RedisRefusals.code(error) != null && !RedisRefusals.isTransient(error)) {
			giveUp(plan, command, new Refusal(error, false, true), attempt);
		}
		else if (plan.isUnanswered(command) && unanswered.givenUp()) {
			giveUp(plan, command, unanswered, attempt);
		}
		else {
			attempt.lastError = (error != null) ? error : unanswered.error();
		}
	}

	// What becomes of the commands left without a reply: a failure that is not transient
	// refuses them for good, and so does a publisher that keeps returning without them.
	private Refusal unansweredRefusal(CommandPlan plan, @Nullable Throwable failure) {
		if (failure != null) {
			return new Refusal(failure.getClass().getName() + ": " + failure.getMessage(), false,
					!RedisRefusals.isTransient(failure));
		}
		this.unansweredAttempts = plan.hasUnanswered() ? this.unansweredAttempts + 1 : 0;
		return new Refusal("no reply", true, this.unansweredAttempts >= MAX_UNANSWERED_ATTEMPTS);
	}

	private void accept(CommandPlan plan, int command, List<BatchEntry> entries) {
		Step step = plan.step(command);
		ChannelDelivery delivery = plan.delivery(command);
		if (delivery != null) {
			delivery.settled(step);
			return;
		}
		BatchTarget target = plan.target(command);
		for (BatchEntry entry : entries) {
			ChannelDelivery shared = deliveryTo(target, entry);
			// An expiry counts only for entries already in the stream: one added later may
			// have created the key anew, without a time to live, or refreshed it past its owner key.
			if (shared != null && (!step.isExpiry() || !shared.owes(Step.XADD))) {
				shared.settled(step);
			}
		}
	}

	private void giveUp(CommandPlan plan, int command, Refusal refusal, Attempt attempt) {
		Step step = plan.step(command);
		String described = plan.describe(command) + ": " + refusal.error();
		ChannelDelivery delivery = plan.delivery(command);
		if (delivery != null) {
			delivery.entry().giveUp(described, refusal.unanswered());
			return;
		}
		// An owner or an expiry: records whose entries are in the stream are delivered all
		// the same; the others send it again with their entries.
		boolean settled = false;
		BatchTarget target = plan.target(command);
		for (BatchEntry entry : attempt.entries) {
			ChannelDelivery shared = deliveryTo(target, entry);
			if (shared != null && shared.owes(step) && !shared.owes(Step.XADD)) {
				shared.settled(step);
				settled = true;
			}
		}
		if (settled) {
			((step == Step.OWNER) ? attempt.refusedOwners : attempt.refusedExpiries).add(described);
		}
	}

	// The entry's delivery that a command shared by the target's entries settles, if any.
	private static @Nullable ChannelDelivery deliveryTo(BatchTarget target, BatchEntry entry) {
		ChannelDelivery context = entry.context();
		if (entry.global().target() == target) {
			return entry.global();
		}
		return (context != null && context.target() == target) ? context : null;
	}

	/**
	 * Why commands are given up, and whether for want of a reply.
	 *
	 * @param error the error
	 * @param unanswered whether the publisher never answered, rather than Redis refusing
	 * @param givenUp whether the commands are given up
	 */
	private record Refusal(String error, boolean unanswered, boolean givenUp) {

	}

	/**
	 * What one settlement gathers as it goes.
	 */
	private static final class Attempt {

		private final List<BatchEntry> entries;

		private final List<String> refusedOwners = new ArrayList<>();

		private final List<String> refusedExpiries = new ArrayList<>();

		private int acceptedCommands;

		private @Nullable String lastError;

		Attempt(List<BatchEntry> entries) {
			this.entries = entries;
		}

		AttemptOutcome takeSettled() {
			List<BatchEntry> delivered = new ArrayList<>();
			List<BatchEntry> rejected = new ArrayList<>();
			this.entries.removeIf((entry) -> {
				if (entry.refusal() != null) {
					return rejected.add(entry);
				}
				return entry.isDelivered() && delivered.add(entry);
			});
			return new AttemptOutcome(this.acceptedCommands, delivered, rejected, this.lastError, this.refusedOwners,
					this.refusedExpiries);
		}

	}

}
