package io.github.redislog.web;

/**
 * A Redis Stream entry id ({@code {milliseconds}-{sequence}}), parsed once, so that the
 * reader compares numbers in its loop instead of parsing text at every comparison.
 *
 * @param millis the milliseconds part
 * @param sequence the sequence part
 * @author Redis Log contributors
 */
record StreamId(long millis, long sequence) implements Comparable<StreamId> {

	/**
	 * The id before every entry.
	 */
	static final StreamId ZERO = new StreamId(0, 0);

	/**
	 * Parse an id.
	 * @param id an id whose parts fit a signed 64-bit number
	 * @return the id
	 * @throws NumberFormatException if it is not such an id
	 */
	static StreamId parse(String id) {
		int dash = id.indexOf('-');
		if (dash < 0) {
			throw new NumberFormatException("'" + id + "' is not a stream entry id");
		}
		return new StreamId(Long.parseLong(id, 0, dash, 10), Long.parseLong(id, dash + 1, id.length(), 10));
	}

	@Override
	public int compareTo(StreamId other) {
		int millis = Long.compare(this.millis, other.millis);
		return (millis != 0) ? millis : Long.compare(this.sequence, other.sequence);
	}

	@Override
	public String toString() {
		return this.millis + "-" + this.sequence;
	}

}
