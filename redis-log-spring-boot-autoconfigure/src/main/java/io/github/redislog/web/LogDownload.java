package io.github.redislog.web;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import io.github.redislog.wire.LogChannel;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * A stream's entries up to its last one when the download was asked for, read from Redis
 * a page at a time and written as they are read, so that the largest stream takes no more
 * memory than one page: as text, a line per record (its stack trace on lines of its own,
 * indented), or as NDJSON, each entry's payload as it is stored.
 *
 * @author Redis Log contributors
 */
final class LogDownload implements StreamingResponseBody {

	private static final int PAGE = 1000;

	private final LogStreams streams;

	private final LogChannel channel;

	private final LogStreamFilter filter;

	private final Format format;

	private final StreamId lastId;

	LogDownload(LogStreams streams, LogChannel channel, LogStreamFilter filter, Format format, StreamId lastId) {
		this.streams = streams;
		this.channel = channel;
		this.filter = filter;
		this.format = format;
		this.lastId = lastId;
	}

	@Override
	public void writeTo(OutputStream output) throws IOException {
		Writer writer = new BufferedWriter(new OutputStreamWriter(output, StandardCharsets.UTF_8));
		String position = StreamIds.ZERO;
		List<LogStreamEntry> page;
		do {
			page = this.streams.after(this.channel, position, PAGE);
			for (LogStreamEntry entry : page) {
				if (entry.streamId().compareTo(this.lastId) > 0) {
					writer.flush();
					return;
				}
				position = entry.id();
				if (this.filter.matches(entry)) {
					this.format.write(entry, writer);
				}
			}
		}
		while (page.size() == PAGE);
		writer.flush();
	}

	/**
	 * How a download writes its entries.
	 */
	enum Format {

		/**
		 * A line per record: time, level, instance and message; the stack trace follows on
		 * lines that start with a tab. Control characters are escaped, so that the file is
		 * safe to print in a terminal.
		 */
		TEXT("log", MediaType.TEXT_PLAIN) {

			@Override
			void write(LogStreamEntry entry, Writer writer) throws IOException {
				LogPayloadFields fields = entry.fields();
				Instant timestamp = (fields.timestamp() != null) ? fields.timestamp()
						: Instant.ofEpochMilli(entry.streamId().millis());
				writer.write(timestamp.toString());
				writer.write(' ');
				writer.write((fields.level() != null) ? fields.level().name() : "-");
				writer.write(" [");
				writer.write(printable((fields.instance() != null) ? fields.instance() : "-"));
				writer.write("] ");
				writer.write(printable(fields.message()));
				writer.write('\n');
				if (fields.stackTrace() != null) {
					for (String line : fields.stackTrace().split("\r\n|\r|\n")) {
						writer.write('\t');
						writer.write(printable(line));
						writer.write('\n');
					}
				}
			}

		},

		/**
		 * Each entry's JSON payload as stored, one a line.
		 */
		NDJSON("ndjson", MediaType.APPLICATION_NDJSON) {

			@Override
			void write(LogStreamEntry entry, Writer writer) throws IOException {
				writer.write(entry.json());
				writer.write('\n');
			}

		};

		private final String extension;

		private final MediaType mediaType;

		Format(String extension, MediaType mediaType) {
			this.extension = extension;
			this.mediaType = mediaType;
		}

		String extension() {
			return this.extension;
		}

		MediaType mediaType() {
			return this.mediaType;
		}

		abstract void write(LogStreamEntry entry, Writer writer) throws IOException;

		// Line breaks become the continuation a reader expects; other controls are escaped.
		private static String printable(String text) {
			StringBuilder printable = new StringBuilder(text.length());
			for (int i = 0; i < text.length(); i++) {
				char c = text.charAt(i);
				if (c == '\n') {
					printable.append("\n\t");
				}
				else if ((c < 0x20 && c != '\t') || c == 0x7f || ControlCharacters.isHidden(c)) {
					ControlCharacters.appendEscaped(printable, c);
				}
				else {
					printable.append(c);
				}
			}
			return printable.toString();
		}

	}

}
