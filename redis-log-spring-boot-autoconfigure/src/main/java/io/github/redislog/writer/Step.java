package io.github.redislog.writer;

/**
 * A command that a record needs on one channel. What a record still owes a channel is a set
 * of steps, kept as their {@link #bit bits}.
 *
 * @author Redis Log contributors
 */
enum Step {

	/**
	 * {@code SET owner:{channel} {owner} NX EX {ttl}}: shared by the channel's records.
	 */
	OWNER,

	/**
	 * {@code XADD} of the record's entry.
	 */
	XADD,

	/**
	 * {@code PUBLISH} or {@code SPUBLISH} of the record.
	 */
	PUBLISH,

	/**
	 * {@code EXPIRE} of the stream: shared by the channel's records.
	 */
	EXPIRE,

	/**
	 * {@code EXPIRE} of the owner key: shared by the channel's records.
	 */
	OWNER_EXPIRE;

	private final int bit = 1 << ordinal();

	int bit() {
		return this.bit;
	}

	/**
	 * Return whether the step is a time to live, which counts only for entries already in
	 * the stream.
	 * @return whether the step is an expiry
	 */
	boolean isExpiry() {
		return this == EXPIRE || this == OWNER_EXPIRE;
	}

}
