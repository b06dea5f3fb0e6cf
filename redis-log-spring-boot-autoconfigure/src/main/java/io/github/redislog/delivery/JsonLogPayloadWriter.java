package io.github.redislog.delivery;

import java.io.CharArrayWriter;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.function.BiConsumer;

import io.github.redislog.RedisLogContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.SerializableString;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes the JSON payload of the wire contract: {@code message}, {@code level},
 * {@code timestamp} (epoch seconds with microseconds), {@code logger} and {@code pod} as the
 * reference handler does, then {@code thread} and, where present, {@code context},
 * {@code mdc} (without the context and owner entries) and {@code exception}
 * ({@code class}, {@code message}, {@code stackTrace}).
 * <p>
 * It streams with one Jackson generator into a character buffer and encodes that into a
 * byte buffer, all three kept from one record to the next, so that a record allocates
 * little more than the payload it returns. It is meant for the worker thread, one record
 * at a time; {@link #write} is synchronized only so that a second caller cannot corrupt
 * the buffers.
 *
 * @author Redis Log contributors
 */
public final class JsonLogPayloadWriter implements LogPayloadWriter {

	private static final SerializableString MESSAGE = new SerializedString("message");

	private static final SerializableString LEVEL = new SerializedString("level");

	private static final SerializableString TIMESTAMP = new SerializedString("timestamp");

	private static final SerializableString LOGGER = new SerializedString("logger");

	private static final SerializableString POD = new SerializedString("pod");

	private static final SerializableString THREAD = new SerializedString("thread");

	private static final SerializableString CONTEXT = new SerializedString("context");

	private static final SerializableString MDC = new SerializedString("mdc");

	private static final SerializableString EXCEPTION = new SerializedString("exception");

	private static final SerializableString CLASS = new SerializedString("class");

	private static final SerializableString STACK_TRACE = new SerializedString("stackTrace");

	private static final int BUFFER_SIZE = 2048;

	// A buffer grown by an exceptionally large record is not kept beyond this size.
	private static final int MAX_KEPT_BUFFER_SIZE = 256 * 1024;

	private static final int MICROS_DIGITS = 6;

	private final JsonFactory jsonFactory = JsonFactory.builder()
		.rootValueSeparator((SerializableString) null)
		.build();

	private final @Nullable String pod;

	private final JsonChars json = new JsonChars();

	// Lone surrogates in logged text are malformed UTF-16: they become '?' instead of
	// failing the record (the encoder's replacement, as String.getBytes does).
	private final CharsetEncoder utf8 = StandardCharsets.UTF_8.newEncoder()
		.onMalformedInput(CodingErrorAction.REPLACE)
		.onUnmappableCharacter(CodingErrorAction.REPLACE);

	private ByteBuffer bytes = ByteBuffer.allocate(BUFFER_SIZE);

	private @Nullable JsonGenerator generator;

	private final BiConsumer<String, String> mdcEntryWriter = this::writeMdcEntry;

	private int mdcEntriesWritten;

	private final char[] timestamp = new char[32];

	/**
	 * Create a writer.
	 * @param pod the value of the {@code pod} field (the {@code HOSTNAME} environment
	 * variable, by default), or {@code null}
	 */
	public JsonLogPayloadWriter(@Nullable String pod) {
		this.pod = pod;
	}

	@Override
	public synchronized byte[] write(LogRecord record) {
		this.json.reset();
		JsonGenerator generator = generator();
		try {
			generator.writeStartObject();
			writeString(generator, MESSAGE, record.message());
			writeString(generator, LEVEL, record.level());
			generator.writeName(TIMESTAMP);
			writeEpochSeconds(generator, record.timestamp());
			writeString(generator, LOGGER, record.logger());
			writeString(generator, POD, this.pod);
			writeString(generator, THREAD, record.thread());
			if (record.contextId() != null) {
				writeString(generator, CONTEXT, record.contextId());
			}
			writeMdc(generator, record.mdc());
			if (record.exception() != null) {
				writeException(generator, record.exception());
			}
			generator.writeEndObject();
			generator.flush();
		}
		catch (RuntimeException | Error ex) {
			// Half a document: the next record starts on a new generator.
			this.generator = null;
			throw ex;
		}
		return encode();
	}

	// Kept from one record to the next: each record is one root-level value, written with
	// no separator before it, into the buffer that is reset in between.
	private JsonGenerator generator() {
		JsonGenerator generator = this.generator;
		if (generator == null) {
			generator = this.jsonFactory.createGenerator(this.json);
			this.generator = generator;
		}
		return generator;
	}

	private byte[] encode() {
		CharBuffer chars = this.json.chars();
		int maxBytes = (int) Math.ceil(chars.remaining() * (double) this.utf8.maxBytesPerChar());
		if (this.bytes.capacity() < maxBytes || this.bytes.capacity() > MAX_KEPT_BUFFER_SIZE) {
			this.bytes = ByteBuffer.allocate(Math.max(maxBytes, BUFFER_SIZE));
		}
		ByteBuffer out = this.bytes.clear();
		this.utf8.reset();
		// Sized for the worst case, so neither call can overflow.
		this.utf8.encode(chars, out, true);
		this.utf8.flush(out);
		return Arrays.copyOf(out.array(), out.position());
	}

	private static void writeString(JsonGenerator generator, SerializableString name, @Nullable String value) {
		generator.writeName(name);
		generator.writeString(value);
	}

	// Epoch seconds with six decimals, as BigDecimal.valueOf(micros, 6) prints them, without
	// its allocations.
	private void writeEpochSeconds(JsonGenerator generator, Instant timestamp) {
		long seconds = timestamp.getEpochSecond();
		if (seconds < 0) {
			long micros = seconds * 1_000_000 + timestamp.getNano() / 1_000;
			generator.writeNumber(BigDecimal.valueOf(micros, MICROS_DIGITS));
			return;
		}
		char[] digits = this.timestamp;
		int start = digits.length;
		int micros = timestamp.getNano() / 1_000;
		for (int i = 0; i < MICROS_DIGITS; i++) {
			digits[--start] = (char) ('0' + micros % 10);
			micros /= 10;
		}
		digits[--start] = '.';
		do {
			digits[--start] = (char) ('0' + seconds % 10);
			seconds /= 10;
		}
		while (seconds > 0);
		generator.writeNumber(digits, start, digits.length - start);
	}

	// The context and owner entries are fields of their own: the record keeps the logging
	// thread's MDC as it was, so they are left out here, and so is an MDC of nothing else.
	// Map.forEach, unlike iterating an unmodifiable map's entries, allocates nothing.
	private void writeMdc(JsonGenerator generator, Map<String, String> mdc) {
		this.mdcEntriesWritten = 0;
		mdc.forEach(this.mdcEntryWriter);
		if (this.mdcEntriesWritten > 0) {
			generator.writeEndObject();
		}
	}

	private void writeMdcEntry(String key, String value) {
		if (isContextEntry(key)) {
			return;
		}
		JsonGenerator generator = generator();
		if (this.mdcEntriesWritten++ == 0) {
			generator.writeName(MDC);
			generator.writeStartObject();
		}
		generator.writeStringProperty(key, value);
	}

	private static boolean isContextEntry(String key) {
		return RedisLogContext.MDC_KEY.equals(key) || RedisLogContext.OWNER_MDC_KEY.equals(key);
	}

	private static void writeException(JsonGenerator generator, LogRecord.ExceptionInfo exception) {
		generator.writeName(EXCEPTION);
		generator.writeStartObject();
		writeString(generator, CLASS, exception.className());
		writeString(generator, MESSAGE, exception.message());
		writeString(generator, STACK_TRACE, exception.stackTrace());
		generator.writeEndObject();
	}

	/**
	 * The JSON of one record as characters, in a buffer that is reset, not reallocated, for
	 * the next.
	 */
	private static final class JsonChars extends CharArrayWriter {

		JsonChars() {
			super(BUFFER_SIZE);
		}

		@Override
		public void reset() {
			if (this.buf.length > MAX_KEPT_BUFFER_SIZE) {
				this.buf = new char[BUFFER_SIZE];
			}
			super.reset();
		}

		CharBuffer chars() {
			return CharBuffer.wrap(this.buf, 0, this.count);
		}

	}

}
