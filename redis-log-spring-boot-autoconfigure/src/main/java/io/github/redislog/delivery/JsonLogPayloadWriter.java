package io.github.redislog.delivery;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes the JSON payload of the wire contract: {@code message}, {@code level},
 * {@code timestamp} (epoch seconds with microseconds), {@code logger} and {@code pod} as the
 * reference handler does, then {@code thread} and, where present, {@code context},
 * {@code mdc} and {@code exception} ({@code class}, {@code message}, {@code stackTrace}).
 *
 * @author Redis Log contributors
 */
public final class JsonLogPayloadWriter implements LogPayloadWriter {

	private final JsonFactory jsonFactory = new JsonFactory();

	private final @Nullable String pod;

	/**
	 * Create a writer.
	 * @param pod the value of the {@code pod} field (the {@code HOSTNAME} environment
	 * variable, by default), or {@code null}
	 */
	public JsonLogPayloadWriter(@Nullable String pod) {
		this.pod = pod;
	}

	@Override
	public byte[] write(LogRecord record) {
		// Through a Writer: lone surrogates in logged text become '?' when encoded below
		// instead of failing the record.
		StringWriter json = new StringWriter(record.message().length() + 256);
		try (JsonGenerator generator = this.jsonFactory.createGenerator(json)) {
			generator.writeStartObject();
			generator.writeStringProperty("message", record.message());
			generator.writeStringProperty("level", record.level());
			generator.writeName("timestamp");
			generator.writeNumber(epochSeconds(record.timestamp()));
			generator.writeStringProperty("logger", record.logger());
			generator.writeStringProperty("pod", this.pod);
			generator.writeStringProperty("thread", record.thread());
			if (record.contextId() != null) {
				generator.writeStringProperty("context", record.contextId());
			}
			if (!record.mdc().isEmpty()) {
				writeMdc(generator, record.mdc());
			}
			if (record.exception() != null) {
				writeException(generator, record.exception());
			}
			generator.writeEndObject();
		}
		return json.toString().getBytes(StandardCharsets.UTF_8);
	}

	private static BigDecimal epochSeconds(Instant timestamp) {
		long micros = timestamp.getEpochSecond() * 1_000_000 + timestamp.getNano() / 1_000;
		return BigDecimal.valueOf(micros, 6);
	}

	private static void writeMdc(JsonGenerator generator, Map<String, String> mdc) {
		generator.writeName("mdc");
		generator.writeStartObject();
		mdc.forEach(generator::writeStringProperty);
		generator.writeEndObject();
	}

	private static void writeException(JsonGenerator generator, LogRecord.ExceptionInfo exception) {
		generator.writeName("exception");
		generator.writeStartObject();
		generator.writeStringProperty("class", exception.className());
		generator.writeStringProperty("message", exception.message());
		generator.writeStringProperty("stackTrace", exception.stackTrace());
		generator.writeEndObject();
	}

}
