package io.github.redislog.web;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One entry of a log stream.
 *
 * @author Redis Log contributors
 */
public final class LogStreamEntry {

	private final String id;

	private final String json;

	private final StreamId streamId;

	// Read once, when a filter first asks: every viewer of a live entry shares it.
	private @Nullable LogPayloadFields fields;

	/**
	 * Create an entry.
	 * @param id the stream entry id, for example {@code 1764201330123-0}
	 * @param json the entry's {@code data} field: the record's JSON payload
	 * @throws NumberFormatException if the id is not a stream entry id
	 */
	public LogStreamEntry(String id, String json) {
		Assert.notNull(id, "'id' must not be null");
		Assert.notNull(json, "'json' must not be null");
		this.id = id;
		this.json = json;
		this.streamId = StreamId.parse(id);
	}

	/**
	 * Return the stream entry id.
	 * @return the id, for example {@code 1764201330123-0}
	 */
	public String id() {
		return this.id;
	}

	/**
	 * Return the entry's {@code data} field.
	 * @return the record's JSON payload
	 */
	public String json() {
		return this.json;
	}

	StreamId streamId() {
		return this.streamId;
	}

	LogPayloadFields fields() {
		LogPayloadFields fields = this.fields;
		if (fields == null) {
			fields = LogPayloadFields.parse(this.json);
			this.fields = fields;
		}
		return fields;
	}

	@Override
	public String toString() {
		return "LogStreamEntry[" + this.id + "]";
	}

}
