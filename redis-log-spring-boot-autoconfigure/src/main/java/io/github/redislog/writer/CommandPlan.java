package io.github.redislog.writer;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import io.github.redislog.wire.PubSubMode;

import org.jspecify.annotations.Nullable;

/**
 * The commands of one write of a batch: what it sends, in what order, and which reply
 * settles what. Each command is numbered in the order written and remembers the channel it
 * is for, the record it serves (none for a command shared by the channel's records) and the
 * reply it got.
 * <p>
 * Owners go first, so that a reader who sees a job's first line can already tell who may
 * read it; then per record and channel the {@code XADD} and the {@code PUBLISH}; then one
 * {@code EXPIRE} per key, an owner key's after its stream's, so that it never expires
 * before the stream.
 *
 * @author Redis Log contributors
 */
final class CommandPlan {

	private static final byte NO_REPLY = 0;

	private static final byte ACCEPTED = 1;

	private static final byte REFUSED = 2;

	private static final int INITIAL_CAPACITY = 64;

	private final PubSubMode pubSubMode;

	private final ChannelAudience audience = new ChannelAudience();

	private BatchTarget[] targets = new BatchTarget[INITIAL_CAPACITY];

	private @Nullable ChannelDelivery[] deliveries = new ChannelDelivery[INITIAL_CAPACITY];

	private Step[] steps = new Step[INITIAL_CAPACITY];

	private byte[] replies = new byte[INITIAL_CAPACITY];

	private @Nullable String[] errors = new String[INITIAL_CAPACITY];

	private int count;

	CommandPlan(PubSubMode pubSubMode) {
		this.pubSubMode = pubSubMode;
	}

	/**
	 * Return the steps a record owes a channel before its first write.
	 * @param target the channel
	 * @return the steps' bits
	 */
	int channelSteps(BatchTarget target) {
		int steps = Step.XADD.bit() | Step.EXPIRE.bit();
		return publishes(target) ? steps | Step.PUBLISH.bit() : steps;
	}

	/**
	 * Write the commands that the entries still owe, forgetting the previous write's.
	 * @param commands where to write them
	 * @param entries the batch's entries, in logging order
	 * @param contexts the batch's context channels
	 * @param global the global channel
	 * @return how many commands were written
	 */
	int write(RedisLogCommands commands, List<BatchEntry> entries, Collection<BatchTarget> contexts,
			BatchTarget global) {
		// A write whose replies were never settled (its thread died) must not lend them.
		forget();
		gatherPendingSteps(entries, contexts, global);
		for (BatchTarget target : contexts) {
			byte[] owner = target.owner();
			if (target.owes(Step.OWNER) && owner != null) {
				commands.setIfAbsent(target.ownerKey(), owner, target.ttlSeconds());
				add(target, null, Step.OWNER);
			}
		}
		for (BatchEntry entry : entries) {
			byte[] json = entry.payload().json();
			ChannelDelivery context = entry.context();
			if (context != null) {
				write(commands, context, json);
			}
			write(commands, entry.global(), json);
		}
		for (BatchTarget target : contexts) {
			expire(commands, target, Step.EXPIRE, target.streamKey());
			expire(commands, target, Step.OWNER_EXPIRE, target.ownerKey());
		}
		expire(commands, global, Step.EXPIRE, global.streamKey());
		return this.count;
	}

	/**
	 * Tell the reply Redis gave to a command of the last write.
	 * @param command the command's number
	 * @param error the error reply, or {@code null} if Redis accepted the command
	 */
	void replied(int command, @Nullable String error) {
		if (command < 0 || command >= this.count) {
			throw new IllegalArgumentException(
					"No command " + command + " in the last write of " + this.count + " commands");
		}
		this.replies[command] = (error != null) ? REFUSED : ACCEPTED;
		this.errors[command] = error;
	}

	/**
	 * Tell how many clients received the message of a {@code PUBLISH} of the last write.
	 * @param command the command's number
	 * @param receivers the command's reply
	 */
	void receivedBy(int command, long receivers) {
		if (command >= 0 && command < this.count && this.steps[command] == Step.PUBLISH
				&& this.pubSubMode == PubSubMode.AUTO) {
			this.audience.heard(this.targets[command].channelName(), receivers, System.nanoTime());
		}
	}

	int count() {
		return this.count;
	}

	BatchTarget target(int command) {
		return this.targets[command];
	}

	/**
	 * Return the record's delivery a command serves.
	 * @param command the command's number
	 * @return the delivery, or {@code null} for a command shared by the channel's records
	 */
	@Nullable ChannelDelivery delivery(int command) {
		return this.deliveries[command];
	}

	Step step(int command) {
		return this.steps[command];
	}

	boolean isAccepted(int command) {
		return this.replies[command] == ACCEPTED;
	}

	boolean isRefused(int command) {
		return this.replies[command] == REFUSED;
	}

	boolean isUnanswered(int command) {
		return this.replies[command] == NO_REPLY;
	}

	@Nullable String error(int command) {
		return this.errors[command];
	}

	boolean hasUnanswered() {
		for (int i = 0; i < this.count; i++) {
			if (isUnanswered(i)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Describe a command for reports.
	 * @param command the command's number
	 * @return its name and key, for example {@code XADD stream:logs:global}
	 */
	String describe(int command) {
		Step step = this.steps[command];
		return commandName(step) + " " + this.targets[command].key(step);
	}

	/**
	 * Forget the commands of the last write and their replies.
	 */
	void forget() {
		Arrays.fill(this.replies, 0, this.count, NO_REPLY);
		Arrays.fill(this.errors, 0, this.count, null);
		Arrays.fill(this.deliveries, 0, this.count, null);
		this.count = 0;
	}

	private boolean publishes(BatchTarget target) {
		return switch (this.pubSubMode) {
			case OFF -> false;
			case AUTO -> this.audience.shouldPublish(target.channelName(), System.nanoTime());
			case CLASSIC, SHARDED -> true;
		};
	}

	// A shared command goes once per channel for every entry that still owes it.
	private void gatherPendingSteps(List<BatchEntry> entries, Collection<BatchTarget> contexts, BatchTarget global) {
		global.clearPendingSteps();
		contexts.forEach(BatchTarget::clearPendingSteps);
		for (BatchEntry entry : entries) {
			entry.global().target().addPendingSteps(entry.global().pendingSteps());
			ChannelDelivery context = entry.context();
			if (context != null) {
				context.target().addPendingSteps(context.pendingSteps());
			}
		}
	}

	private void write(RedisLogCommands commands, ChannelDelivery delivery, byte[] json) {
		BatchTarget target = delivery.target();
		if (delivery.owes(Step.XADD)) {
			commands.xAdd(target.streamKey(), json);
			add(target, delivery, Step.XADD);
		}
		if (delivery.owes(Step.PUBLISH)) {
			if (this.pubSubMode == PubSubMode.SHARDED) {
				commands.sPublish(target.name(), json);
			}
			else {
				commands.publish(target.name(), json);
			}
			add(target, delivery, Step.PUBLISH);
		}
	}

	private void expire(RedisLogCommands commands, BatchTarget target, Step step, byte[] key) {
		if (target.owes(step)) {
			commands.expire(key, target.ttlSeconds());
			add(target, null, step);
		}
	}

	private void add(BatchTarget target, @Nullable ChannelDelivery delivery, Step step) {
		if (this.count == this.steps.length) {
			int capacity = this.count * 2;
			this.targets = Arrays.copyOf(this.targets, capacity);
			this.deliveries = Arrays.copyOf(this.deliveries, capacity);
			this.steps = Arrays.copyOf(this.steps, capacity);
			this.replies = Arrays.copyOf(this.replies, capacity);
			this.errors = Arrays.copyOf(this.errors, capacity);
		}
		this.targets[this.count] = target;
		this.deliveries[this.count] = delivery;
		this.steps[this.count] = step;
		this.count++;
	}

	private String commandName(Step step) {
		return switch (step) {
			case OWNER -> "SET";
			case XADD -> "XADD";
			case PUBLISH -> (this.pubSubMode == PubSubMode.SHARDED) ? "SPUBLISH" : "PUBLISH";
			case EXPIRE, OWNER_EXPIRE -> "EXPIRE";
		};
	}

}
