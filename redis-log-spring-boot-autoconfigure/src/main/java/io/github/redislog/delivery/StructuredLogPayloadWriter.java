package io.github.redislog.delivery;

import java.nio.charset.StandardCharsets;

import io.github.redislog.RedisLogContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.io.JsonStringEncoder;

/**
 * Writes the payload of a record laid out by one of Spring Boot's structured formats: the
 * JSON document exactly as the application's structured console or file log shows it. The
 * formats write the MDC, and with it the context and owner entries, under their own
 * conventions ({@code redisLogContext} in ECS and Logstash, {@code _redisLogContext} in
 * GELF); where a document lacks one (a formatter of the application's own, or
 * {@code logging.structured.json} leaving the MDC out), it is added at the end, so that
 * every payload can be routed.
 * <p>
 * The notes about dropped records are no records of the application, which a format could
 * lay out: they are written in the reference format (logger {@value DroppedGap#NOTE_LOGGER})
 * whatever the format, so that readers can tell them apart.
 *
 * @author Redis Log contributors
 */
public final class StructuredLogPayloadWriter implements LogPayloadWriter {

	private static final String CONTEXT_FIELD_END = RedisLogContext.MDC_KEY + "\":";

	private static final String OWNER_FIELD_END = RedisLogContext.OWNER_MDC_KEY + "\":";

	private final String fieldPrefix;

	private final LogPayloadWriter notes;

	/**
	 * Create a writer.
	 * @param fieldPrefix what the format puts before the names of MDC entries: {@code _} for
	 * GELF's additional fields, nothing for the others
	 * @param notes writes the notes about dropped records
	 */
	public StructuredLogPayloadWriter(String fieldPrefix, LogPayloadWriter notes) {
		this.fieldPrefix = fieldPrefix;
		this.notes = notes;
	}

	/**
	 * Create the writer for a format.
	 * @param format {@code ecs}, {@code gelf}, {@code logstash} or a formatter's class name
	 * @param pod the {@code pod} field of the notes about dropped records, or {@code null}
	 * @return the writer
	 */
	public static StructuredLogPayloadWriter forFormat(String format, @Nullable String pod) {
		return new StructuredLogPayloadWriter("gelf".equals(format) ? "_" : "", new JsonLogPayloadWriter(pod));
	}

	@Override
	public byte[] write(LogRecord record) {
		if (DroppedGap.NOTE_LOGGER.equals(record.logger())) {
			return this.notes.write(record);
		}
		String document = record.message();
		boolean addContext = lacks(document, CONTEXT_FIELD_END, record.contextId());
		boolean addOwner = lacks(document, OWNER_FIELD_END, record.ownerId());
		if (!(addContext || addOwner) || !document.endsWith("}")) {
			return document.getBytes(StandardCharsets.UTF_8);
		}
		StringBuilder json = new StringBuilder(document.length() + 128);
		json.append(document, 0, document.length() - 1);
		if (addContext) {
			appendField(json, CONTEXT_FIELD_END, record.contextId());
		}
		if (addOwner) {
			appendField(json, OWNER_FIELD_END, record.ownerId());
		}
		return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
	}

	// The name of an entry ends the same under any format's prefix, or none.
	private static boolean lacks(String document, String fieldEnd, @Nullable String value) {
		return value != null && !document.contains(fieldEnd);
	}

	private void appendField(StringBuilder json, String fieldEnd, @Nullable String value) {
		if (json.length() > 1) {
			json.append(',');
		}
		json.append('"').append(this.fieldPrefix).append(fieldEnd).append('"');
		JsonStringEncoder.getInstance().quoteAsString(String.valueOf(value), json);
		json.append('"');
	}

}
