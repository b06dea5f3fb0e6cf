package io.github.redislog.web;

/**
 * One entry of a log stream.
 *
 * @param id the stream entry id, for example {@code 1764201330123-0}
 * @param json the entry's {@code data} field: the record's JSON payload
 * @author Redis Log contributors
 */
public record LogStreamEntry(String id, String json) {

}
