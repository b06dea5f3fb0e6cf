package io.github.redislog.writer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redislog.wire.LogChannels;

import org.jspecify.annotations.Nullable;

/**
 * A batch of records on its way to Redis, with the commands each one still needs. A
 * {@link RedisLogPublisher} {@link #write writes} those commands and tells the batch the
 * {@link #replied reply} to each; the {@link CommandPlan} decides which commands go and in
 * what order, and the {@link BatchSettlement} what the replies settle: a command Redis
 * accepted is never sent again, one it refused for now or that got no reply goes again with
 * the next attempt, and a record with a command Redis refused for good leaves the batch at
 * once, so it cannot hold up the others.
 * <p>
 * Per record and channel (its context's, if any, and the global one) the commands are an
 * {@code XADD} and a {@code PUBLISH}, and the {@code EXPIRE} of the stream once its entry
 * is in. A context whose records name an owner also needs its owner key: set once, by the
 * first scope that opened it ({@code SET owner:{channel} {owner} NX EX {ttl}}), never
 * replaced while it lives, and kept as long as the stream: every write to a context's
 * stream, owned or not, gap notes included, refreshes both ({@code EXPIRE}), so that the
 * owner never loses access while the stream lives. The owner is stored encoded like a
 * channel name, which is injective.
 *
 * @author Redis Log contributors
 */
public final class LogBatch {

	private final LogChannels channels;

	private final BatchTarget global;

	// A batch holds few contexts: their keys are encoded once, not per record.
	private final Map<String, BatchTarget> contexts = new LinkedHashMap<>();

	private final List<BatchEntry> entries = new ArrayList<>();

	private final CommandPlan plan;

	private final BatchSettlement settlement = new BatchSettlement();

	// How many times the batch was emptied: a publisher holding a batch written ahead
	// tells it from the next one.
	private int generation;

	public LogBatch(LogChannels channels) {
		this.channels = channels;
		this.global = new BatchTarget(channels.global());
		this.plan = new CommandPlan(channels.pubSubMode());
	}

	/**
	 * Write the commands that the batch's records still need, numbered from 0 in the
	 * order written.
	 * @param commands where to write them
	 * @return how many commands were written
	 */
	public int write(RedisLogCommands commands) {
		return this.plan.write(commands, this.entries, this.contexts.values(), this.global);
	}

	/**
	 * Tell the reply Redis gave to a command of the last {@link #write}. A command whose
	 * reply is not told has an unknown outcome and is sent again.
	 * @param command the command's number
	 * @param error the error reply, which starts with its code (for example
	 * {@code WRONGTYPE Operation against a key...}), or {@code null} if Redis accepted the
	 * command; an error without a code is no reply of Redis, and the outcome stays unknown
	 */
	public void replied(int command, @Nullable String error) {
		this.plan.replied(command, error);
	}

	/**
	 * Tell how many clients received the message of a {@code PUBLISH} of the last
	 * {@link #write}: its integer reply. With {@code redis-log.pubsub=auto}, a channel is
	 * published to only while the replies say that somebody listens; a publisher that does
	 * not tell has every channel published to. Told about any other command, the batch
	 * ignores it.
	 * @param command the command's number
	 * @param receivers the number of clients that received the message
	 */
	public void receivedBy(int command, long receivers) {
		this.plan.receivedBy(command, receivers);
	}

	/**
	 * Add a record.
	 * @param payload the record's payload
	 * @param record the caller's number for the record, or {@code -1} for a note that is
	 * not counted as a record
	 */
	public void add(LogPayload payload, int record) {
		BatchEntry entry = new BatchEntry(payload, record, this.global, this.plan.channelSteps(this.global));
		String contextId = payload.contextId();
		if (contextId != null && !contextId.isEmpty()) {
			BatchTarget target = this.contexts.computeIfAbsent(contextId,
					(id) -> new BatchTarget(this.channels.context(id)));
			int steps = this.plan.channelSteps(target) | Step.OWNER_EXPIRE.bit();
			String ownerId = payload.ownerId();
			if (ownerId != null) {
				if (target.owner() == null) {
					target.ownedBy(this.channels.encode(ownerId));
				}
				steps |= Step.OWNER.bit();
			}
			entry.deliverTo(target, steps);
		}
		this.entries.add(entry);
	}

	/**
	 * Apply the replies of the last write: take out the records that are delivered and
	 * those given up, and keep the others for the next attempt.
	 * @param failure what the publisher threw, or {@code null}; unless it is transient,
	 * the commands it left without a reply are refused for good
	 * @return what the attempt settled
	 */
	public AttemptOutcome settle(@Nullable Throwable failure) {
		return this.settlement.settle(this.plan, this.entries, failure);
	}

	/**
	 * Return the records still to deliver.
	 * @return the entries, in logging order
	 */
	public List<BatchEntry> entries() {
		return this.entries;
	}

	int generation() {
		return this.generation;
	}

	/**
	 * Empty the batch for the next one.
	 */
	public void clear() {
		this.generation++;
		this.plan.forget();
		this.settlement.reset();
		this.entries.clear();
		this.contexts.clear();
	}

}
