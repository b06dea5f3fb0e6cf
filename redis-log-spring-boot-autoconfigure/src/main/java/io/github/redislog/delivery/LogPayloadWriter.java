package io.github.redislog.delivery;

/**
 * Turns a captured record into the payload stored in the stream entry's {@code data}
 * field and published on its channels. Called on the worker thread only.
 *
 * @author Redis Log contributors
 * @see JsonLogPayloadWriter
 */
@FunctionalInterface
public interface LogPayloadWriter {

	/**
	 * Write the payload of a record.
	 * @param record the record
	 * @return the payload bytes
	 */
	byte[] write(LogRecord record);

}
