package io.github.redislog.delivery;

import io.github.redislog.writer.BatchEntry;

/**
 * Why a log record was not delivered to Redis.
 *
 * @author Redis Log contributors
 */
public enum DropReason {

	/**
	 * The queue was at its record or byte bound when the record was logged.
	 */
	QUEUE_FULL("queue_full"),

	/**
	 * Redis did not accept the record before the worker had to give up on it.
	 */
	REDIS_UNAVAILABLE("redis_unavailable"),

	/**
	 * The record was still queued when the shutdown timeout ran out, or was logged after
	 * the worker had taken its last records.
	 */
	SHUTDOWN("shutdown"),

	/**
	 * The record could not be captured or turned into its JSON payload.
	 */
	SERIALIZATION("serialization"),

	/**
	 * Redis refused a command of the record for good, for example with {@code WRONGTYPE}
	 * or {@code NOPERM}; the record's other commands were not sent again.
	 */
	REJECTED("rejected"),

	/**
	 * The publisher returned without a reply to a command of the record, attempt after
	 * attempt: a publisher of the application's own that never answers cannot hold up the
	 * batch for ever.
	 */
	NO_REPLY("no_reply"),

	/**
	 * The worker thread died of an error of the JVM (such as a {@link StackOverflowError})
	 * while it held the record; a new worker took over.
	 */
	WORKER_FAILED("worker_failed");

	private final String tag;

	DropReason(String tag) {
		this.tag = tag;
	}

	/**
	 * Return the reason as it appears in reports and metric tags.
	 * @return the reason in snake case, for example {@code queue_full}
	 */
	public String tag() {
		return this.tag;
	}

	/**
	 * Return why a record that the writer gave up is dropped.
	 * @param givenUp the record's entry in its batch
	 * @return {@link #NO_REPLY} or {@link #REJECTED}
	 */
	static DropReason of(BatchEntry givenUp) {
		return givenUp.isUnanswered() ? NO_REPLY : REJECTED;
	}

}
