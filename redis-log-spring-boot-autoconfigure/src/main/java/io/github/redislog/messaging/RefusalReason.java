package io.github.redislog.messaging;

/**
 * Why a log context that came with a message was not restored.
 *
 * @author Redis Log contributors
 */
public enum RefusalReason {

	/**
	 * The context carries no signature: written by hand, or by a version of the starter
	 * that did not sign.
	 */
	MISSING_SIGNATURE("missing_signature"),

	/**
	 * The signature does not match the context and owner with any accepted key.
	 */
	BAD_SIGNATURE("bad_signature"),

	/**
	 * The context was signed longer ago than the maximum age.
	 */
	EXPIRED("expired"),

	/**
	 * The context or its owner is not in the form the starter writes.
	 */
	MALFORMED("malformed");

	private final String tag;

	RefusalReason(String tag) {
		this.tag = tag;
	}

	/**
	 * Return the reason as a metric tag.
	 * @return the tag, for example {@code bad_signature}
	 */
	public String tag() {
		return this.tag;
	}

}
