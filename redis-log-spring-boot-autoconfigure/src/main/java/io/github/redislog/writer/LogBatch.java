package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.redislog.delivery.DropReason;
import io.github.redislog.wire.LogChannel;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.wire.PubSubMode;

import org.jspecify.annotations.Nullable;

/**
 * A batch of records on its way to Redis, with the commands each one still needs. A
 * {@link RedisLogPublisher} {@link #write writes} those commands and tells the batch the
 * {@link #replied reply} to each: a command Redis accepted is never sent again, one it
 * refused for now (out of memory, a failover) or that got no reply goes again with the
 * next attempt, and a record with a command Redis refused for good ({@code WRONGTYPE},
 * {@code NOPERM}) leaves the batch at once, so it cannot hold up the others.
 * <p>
 * Per record and channel (its context's, if any, and the global one) the commands are an
 * {@code XADD} and a {@code PUBLISH}, and the {@code EXPIRE} of the stream once its entry
 * is in. A context whose records name an owner also needs its owner key: set once, by the
 * first scope that opened it ({@code SET owner:{channel} {owner} NX EX {ttl}}), never
 * replaced while it lives, and kept as long as the stream: every write to a context's
 * stream, owned or not, gap notes included, refreshes both ({@code EXPIRE}), so that the
 * owner never loses access while the stream lives. The owner is
 * stored encoded like a channel name, which is injective. They are written in this order:
 * owners first, so that a reader who sees a job's first line can already tell who may read
 * it; then per record and channel the {@code XADD} and the {@code PUBLISH}; then one
 * {@code EXPIRE} per key. An owner or an expiry is one command for all the records of its
 * channel, and its reply settles it for all.
 * <p>
 * An owner or an expiry that Redis refuses for good costs no record whose entry is in the
 * stream: the record is delivered, and the refused command is counted on its own
 * ({@link Settlement#refusedOwners}, {@link Settlement#refusedExpiries}). A publisher that
 * returns without a reply to some commands gets {@value #MAX_UNANSWERED_ATTEMPTS} attempts
 * in a row; then the records waiting for those replies are dropped as
 * {@link DropReason#NO_REPLY}.
 *
 * @author Redis Log contributors
 */
public final class LogBatch {

	private static final int OWNER = 1;

	private static final int XADD = 2;

	private static final int PUBLISH = 4;

	private static final int EXPIRE = 8;

	private static final int OWNER_EXPIRE = 16;

	private static final byte NO_REPLY = 0;

	private static final byte ACCEPTED = 1;

	private static final byte REFUSED = 2;

	/**
	 * How many attempts in a row a publisher may return without a reply to a command
	 * before the records that wait for it are given up.
	 */
	static final int MAX_UNANSWERED_ATTEMPTS = 5;

	private final LogChannels channels;

	private final PubSubMode pubSubMode;

	private final Target global;

	// A batch holds few contexts: their keys are encoded once, not per record.
	private final Map<String, Target> contexts = new LinkedHashMap<>();

	private final List<Entry> entries = new ArrayList<>();

	// The commands of the last write, by number: whose, which and the reply.
	private Target[] commandTargets = new Target[64];

	private @Nullable Delivery[] commandDeliveries = new Delivery[64];

	private int[] commandSteps = new int[64];

	private byte[] replies = new byte[64];

	private @Nullable String[] errors = new String[64];

	private int commandCount;

	private int unansweredAttempts;

	public LogBatch(LogChannels channels) {
		this.channels = channels;
		this.pubSubMode = channels.pubSubMode();
		this.global = new Target(channels.global());
	}

	/**
	 * Write the commands that the batch's records still need, numbered from 0 in the
	 * order written.
	 * @param commands where to write them
	 * @return how many commands were written
	 */
	public int write(RedisLogCommands commands) {
		// A write whose replies were never settled (its thread died) must not lend them.
		forgetCommands();
		this.global.pendingSteps = 0;
		this.contexts.values().forEach((target) -> target.pendingSteps = 0);
		for (Entry entry : this.entries) {
			entry.global.target.pendingSteps |= entry.global.pendingSteps;
			if (entry.context != null) {
				entry.context.target.pendingSteps |= entry.context.pendingSteps;
			}
		}
		for (Target target : this.contexts.values()) {
			if ((target.pendingSteps & OWNER) != 0 && target.owner != null) {
				commands.setIfAbsent(target.ownerKey, target.owner, target.ttlSeconds());
				add(target, null, OWNER);
			}
		}
		for (Entry entry : this.entries) {
			if (entry.context != null) {
				write(commands, entry.context, entry.payload.json());
			}
			write(commands, entry.global, entry.payload.json());
		}
		for (Target target : this.contexts.values()) {
			expire(commands, target);
			// After the stream's: an owner key never expires before its stream.
			if ((target.pendingSteps & OWNER_EXPIRE) != 0) {
				commands.expire(target.ownerKey, target.ttlSeconds());
				add(target, null, OWNER_EXPIRE);
			}
		}
		expire(commands, this.global);
		return this.commandCount;
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
		if (command < 0 || command >= this.commandCount) {
			throw new IllegalArgumentException(
					"No command " + command + " in the last write of " + this.commandCount + " commands");
		}
		this.replies[command] = (error != null) ? REFUSED : ACCEPTED;
		this.errors[command] = error;
	}

	/**
	 * Add a record.
	 * @param payload the record's payload
	 * @param record the caller's number for the record, or {@code -1} for a note that is
	 * not counted as a record
	 */
	public void add(LogPayload payload, int record) {
		Entry entry = new Entry(payload, record, this.global, channelSteps());
		if (payload.contextId() != null && !payload.contextId().isEmpty()) {
			Target target = this.contexts.computeIfAbsent(payload.contextId(),
					(id) -> new Target(this.channels.context(id)));
			boolean owned = payload.ownerId() != null;
			if (owned && target.owner == null) {
				target.owner = bytes(this.channels.encode(payload.ownerId()));
			}
			int steps = channelSteps() | OWNER_EXPIRE;
			entry.context = new Delivery(entry, target, owned ? steps | OWNER : steps);
		}
		this.entries.add(entry);
	}

	/**
	 * Apply the replies of the last write: take out the records that are delivered and
	 * those that Redis refused for good, and keep the others for the next attempt.
	 * @param failure what the publisher threw, or {@code null}; unless it is transient,
	 * the commands it left without a reply are refused for good
	 * @return what the attempt settled
	 */
	public Settlement settle(@Nullable Throwable failure) {
		Refusal unanswered = unansweredRefusal(failure);
		int accepted = 0;
		String lastError = null;
		List<String> refusedOwners = new ArrayList<>();
		List<String> refusedExpiries = new ArrayList<>();
		// A shared command settles after the entries' own: whether it costs a record
		// depends on whether the record's entry is in the stream.
		for (boolean shared : new boolean[] { false, true }) {
			for (int i = 0; i < this.commandCount; i++) {
				if ((this.commandDeliveries[i] == null) != shared) {
					continue;
				}
				byte reply = this.replies[i];
				String error = this.errors[i];
				if (reply == ACCEPTED) {
					accepted++;
					accept(i);
				}
				else if (reply == REFUSED && RedisRefusals.code(error) != null && !RedisRefusals.isTransient(error)) {
					reject(i, new Refusal(error, DropReason.REJECTED), refusedOwners, refusedExpiries);
				}
				else if (reply == NO_REPLY && unanswered.givenUp()) {
					reject(i, unanswered, refusedOwners, refusedExpiries);
				}
				else {
					lastError = (error != null) ? error : unanswered.error();
				}
			}
		}
		if (this.commandCount == 0 && (failure == null || unanswered.givenUp())) {
			// Wrote no command, and did not fail for now: nothing would ever get these through.
			String refusal = (failure != null) ? unanswered.error() : "the publisher wrote none of the batch's commands";
			this.entries.forEach((entry) -> entry.reject(refusal, DropReason.REJECTED));
		}
		forgetCommands();
		return takeSettled(accepted, lastError, refusedOwners, refusedExpiries);
	}

	// What becomes of the commands left without a reply: a failure that is not transient
	// refuses them for good, and so does a publisher that keeps returning without them.
	private Refusal unansweredRefusal(@Nullable Throwable failure) {
		if (failure != null) {
			return new Refusal(describe(failure), DropReason.REJECTED, !RedisRefusals.isTransient(failure));
		}
		boolean unanswered = false;
		for (int i = 0; i < this.commandCount; i++) {
			unanswered |= this.replies[i] == NO_REPLY;
		}
		this.unansweredAttempts = unanswered ? this.unansweredAttempts + 1 : 0;
		return new Refusal("no reply", DropReason.NO_REPLY, this.unansweredAttempts >= MAX_UNANSWERED_ATTEMPTS);
	}

	/**
	 * Return the records still to deliver.
	 * @return the entries, in logging order
	 */
	public List<Entry> entries() {
		return this.entries;
	}

	/**
	 * Empty the batch for the next one.
	 */
	public void clear() {
		forgetCommands();
		this.unansweredAttempts = 0;
		this.entries.clear();
		this.contexts.clear();
	}

	private void forgetCommands() {
		Arrays.fill(this.replies, 0, this.commandCount, NO_REPLY);
		Arrays.fill(this.errors, 0, this.commandCount, null);
		Arrays.fill(this.commandDeliveries, 0, this.commandCount, null);
		this.commandCount = 0;
	}

	private void write(RedisLogCommands commands, Delivery delivery, byte[] json) {
		if ((delivery.pendingSteps & XADD) != 0) {
			commands.xAdd(delivery.target.streamKey, json);
			add(delivery.target, delivery, XADD);
		}
		if ((delivery.pendingSteps & PUBLISH) != 0) {
			if (this.pubSubMode == PubSubMode.SHARDED) {
				commands.sPublish(delivery.target.name, json);
			}
			else {
				commands.publish(delivery.target.name, json);
			}
			add(delivery.target, delivery, PUBLISH);
		}
	}

	private int channelSteps() {
		return (this.pubSubMode != PubSubMode.OFF) ? XADD | PUBLISH | EXPIRE : XADD | EXPIRE;
	}

	private void expire(RedisLogCommands commands, Target target) {
		if ((target.pendingSteps & EXPIRE) != 0) {
			commands.expire(target.streamKey, target.ttlSeconds());
			add(target, null, EXPIRE);
		}
	}

	private void add(Target target, @Nullable Delivery delivery, int step) {
		if (this.commandCount == this.commandSteps.length) {
			int capacity = this.commandCount * 2;
			this.commandTargets = Arrays.copyOf(this.commandTargets, capacity);
			this.commandDeliveries = Arrays.copyOf(this.commandDeliveries, capacity);
			this.commandSteps = Arrays.copyOf(this.commandSteps, capacity);
			this.replies = Arrays.copyOf(this.replies, capacity);
			this.errors = Arrays.copyOf(this.errors, capacity);
		}
		this.commandTargets[this.commandCount] = target;
		this.commandDeliveries[this.commandCount] = delivery;
		this.commandSteps[this.commandCount] = step;
		this.commandCount++;
	}

	private void accept(int command) {
		int step = this.commandSteps[command];
		Delivery delivery = this.commandDeliveries[command];
		if (delivery != null) {
			delivery.pendingSteps &= ~step;
			return;
		}
		for (Delivery shared : deliveries(this.commandTargets[command])) {
			// An expiry counts only for entries already in the stream: one added later
			// may have created the key anew, without a time to live, or refreshed it past its owner key.
			if ((step != EXPIRE && step != OWNER_EXPIRE) || (shared.pendingSteps & XADD) == 0) {
				shared.pendingSteps &= ~step;
			}
		}
	}

	private void reject(int command, Refusal refusal, List<String> refusedOwners, List<String> refusedExpiries) {
		Target target = this.commandTargets[command];
		int step = this.commandSteps[command];
		String described = commandName(step) + " " + target.key(step) + ": " + refusal.error();
		Delivery delivery = this.commandDeliveries[command];
		if (delivery != null) {
			delivery.entry.reject(described, refusal.reason());
			return;
		}
		// An owner or an expiry: records whose entries are in the stream are delivered all
		// the same; the others send it again with their entries.
		boolean settled = false;
		for (Delivery shared : deliveries(target)) {
			if ((shared.pendingSteps & step) != 0 && (shared.pendingSteps & XADD) == 0) {
				shared.pendingSteps &= ~step;
				settled = true;
			}
		}
		if (settled) {
			((step == OWNER) ? refusedOwners : refusedExpiries).add(described);
		}
	}

	private List<Delivery> deliveries(Target target) {
		List<Delivery> deliveries = new ArrayList<>();
		for (Entry entry : this.entries) {
			if (entry.global.target == target) {
				deliveries.add(entry.global);
			}
			else if (entry.context != null && entry.context.target == target) {
				deliveries.add(entry.context);
			}
		}
		return deliveries;
	}

	private Settlement takeSettled(int acceptedCommands, @Nullable String lastError, List<String> refusedOwners,
			List<String> refusedExpiries) {
		List<Entry> delivered = new ArrayList<>();
		List<Entry> rejected = new ArrayList<>();
		this.entries.removeIf((entry) -> {
			if (entry.refusal != null) {
				return rejected.add(entry);
			}
			if (entry.isDelivered()) {
				return delivered.add(entry);
			}
			return false;
		});
		return new Settlement(acceptedCommands, delivered, rejected, lastError, refusedOwners, refusedExpiries);
	}

	private String commandName(int step) {
		return switch (step) {
			case OWNER -> "SET";
			case XADD -> "XADD";
			case PUBLISH -> (this.pubSubMode == PubSubMode.SHARDED) ? "SPUBLISH" : "PUBLISH";
			default -> "EXPIRE";
		};
	}

	private static String describe(Throwable failure) {
		return failure.getClass().getName() + ": " + failure.getMessage();
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * What one attempt settled.
	 *
	 * @param acceptedCommands how many commands Redis accepted
	 * @param delivered the records (and notes) whose every command Redis accepted
	 * @param rejected the records (and notes) with a command Redis refused for good, or
	 * that the publisher never answered
	 * @param lastError the last transient error or unknown outcome, or {@code null} if
	 * nothing is left to retry
	 * @param refusedOwners the owners ({@code SET ... NX}) refused for good although the
	 * entries they serve are in the stream, each with its key and error
	 * @param refusedExpiries the expiries refused for good although the entries they serve
	 * are in the stream, each with its key and error, for example
	 * {@code EXPIRE stream:logs:global: NOPERM ...}
	 */
	public record Settlement(int acceptedCommands, List<Entry> delivered, List<Entry> rejected, @Nullable String lastError,
			List<String> refusedOwners, List<String> refusedExpiries) {

	}

	/**
	 * Why commands are refused for good, and what their records are dropped as.
	 *
	 * @param error the error
	 * @param reason the reason to drop a record for
	 * @param givenUp whether the commands are refused for good
	 */
	private record Refusal(String error, DropReason reason, boolean givenUp) {

		Refusal(String error, DropReason reason) {
			this(error, reason, true);
		}

	}

	/**
	 * A record of the batch and what it still needs.
	 */
	public static final class Entry {

		private final LogPayload payload;

		private final int record;

		private final Delivery global;

		// Set once, right after construction, for a record that has a context.
		private @Nullable Delivery context;

		private @Nullable String refusal;

		private DropReason reason = DropReason.REJECTED;

		Entry(LogPayload payload, int record, Target global, int globalSteps) {
			this.payload = payload;
			this.record = record;
			this.global = new Delivery(this, global, globalSteps);
		}

		/**
		 * Return the caller's number for the record.
		 * @return the number, or {@code -1} for a note
		 */
		public int record() {
			return this.record;
		}

		/**
		 * Return the command Redis refused for good and its error.
		 * @return for example {@code XADD stream:logs:User.bob: WRONGTYPE ...}, or
		 * {@code null}
		 */
		public @Nullable String refusal() {
			return this.refusal;
		}

		/**
		 * Return what the record is dropped as, once it has a {@link #refusal()}.
		 * @return the reason
		 */
		public DropReason reason() {
			return this.reason;
		}

		private void reject(String refusal, DropReason reason) {
			if (this.refusal == null) {
				this.refusal = refusal;
				this.reason = reason;
			}
		}

		private boolean isDelivered() {
			return this.global.pendingSteps == 0 && (this.context == null || this.context.pendingSteps == 0);
		}

	}

	/**
	 * The commands an entry still needs on one channel.
	 */
	private static final class Delivery {

		private final Entry entry;

		private final Target target;

		private int pendingSteps;

		Delivery(Entry entry, Target target, int pendingSteps) {
			this.entry = entry;
			this.target = target;
			this.pendingSteps = pendingSteps;
		}

	}

	/**
	 * A channel with its names encoded for the wire.
	 */
	private static final class Target {

		private final LogChannel channel;

		private final byte[] name;

		private final byte[] streamKey;

		private final byte[] ownerKey;

		private byte @Nullable [] owner;

		// What the batch's entries still need here, gathered by each write.
		private int pendingSteps;

		Target(LogChannel channel) {
			this.channel = channel;
			this.name = bytes(channel.name());
			this.streamKey = bytes(channel.streamKey());
			this.ownerKey = bytes(channel.ownerKey());
		}

		long ttlSeconds() {
			return this.channel.ttl().toSeconds();
		}

		String key(int step) {
			return switch (step) {
				case OWNER, OWNER_EXPIRE -> this.channel.ownerKey();
				case PUBLISH -> this.channel.name();
				default -> this.channel.streamKey();
			};
		}

	}

}
