package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;

import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

/**
 * A channel of a batch with its names encoded for the wire, encoded once for all the
 * batch's records of the channel.
 *
 * @author Redis Log contributors
 */
final class BatchTarget {

	private final LogChannel channel;

	private final byte[] name;

	private final byte[] streamKey;

	private final byte[] ownerKey;

	private byte @Nullable [] owner;

	// The steps the batch's records still owe here, gathered before each write.
	private int pendingSteps;

	BatchTarget(LogChannel channel) {
		this.channel = channel;
		this.name = bytes(channel.name());
		this.streamKey = bytes(channel.streamKey());
		this.ownerKey = bytes(channel.ownerKey());
	}

	String channelName() {
		return this.channel.name();
	}

	byte[] name() {
		return this.name;
	}

	byte[] streamKey() {
		return this.streamKey;
	}

	byte[] ownerKey() {
		return this.ownerKey;
	}

	byte @Nullable [] owner() {
		return this.owner;
	}

	/**
	 * Name the owner of the channel: the first scope that opened its context.
	 * @param encodedOwner the owner, encoded like a channel name
	 */
	void ownedBy(String encodedOwner) {
		this.owner = bytes(encodedOwner);
	}

	long ttlSeconds() {
		return this.channel.ttl().toSeconds();
	}

	/**
	 * Return the key a step writes, for reports.
	 * @param step the step
	 * @return the key or channel name
	 */
	String key(Step step) {
		return switch (step) {
			case OWNER, OWNER_EXPIRE -> this.channel.ownerKey();
			case PUBLISH -> this.channel.name();
			case XADD, EXPIRE -> this.channel.streamKey();
		};
	}

	void clearPendingSteps() {
		this.pendingSteps = 0;
	}

	void addPendingSteps(int steps) {
		this.pendingSteps |= steps;
	}

	boolean owes(Step step) {
		return (this.pendingSteps & step.bit()) != 0;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
