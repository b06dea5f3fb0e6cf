package io.github.redislog.web;

import java.nio.charset.StandardCharsets;

/**
 * The Server-Sent Events frames of the live view, encoded once: an entry's frame is
 * shared by every client of its stream.
 *
 * @author Redis Log contributors
 */
final class SseFrames {

	/**
	 * Comment that keeps an idle stream open through proxies.
	 */
	static final byte[] KEEPALIVE = bytes(":keepalive\n\n");

	private SseFrames() {
	}

	/**
	 * Return the first frame: the reconnection delay and a comment that commits the
	 * response.
	 * @param reconnectMillis the reconnection delay browsers should use
	 * @return the frame
	 */
	static byte[] hello(long reconnectMillis) {
		return bytes("retry:" + reconnectMillis + "\n:connected\n\n");
	}

	/**
	 * Return the frame of a stream entry, whose event id is the entry id.
	 * @param entry the entry
	 * @return the frame
	 */
	static byte[] entry(LogStreamEntry entry) {
		StringBuilder frame = new StringBuilder(entry.json().length() + entry.id().length() + 16);
		frame.append("id:").append(entry.id()).append('\n');
		data(frame, entry.json());
		return bytes(frame.append('\n').toString());
	}

	/**
	 * Return the frame that tells a resuming viewer that the stream no longer reaches back
	 * to where it left off: a {@code gap} event whose data is the id it resumed after.
	 * @param afterId the id the viewer resumed after
	 * @return the frame
	 */
	static byte[] gap(String afterId) {
		StringBuilder frame = new StringBuilder("event:gap\n");
		data(frame, afterId);
		return bytes(frame.append('\n').toString());
	}

	/**
	 * Return the last frame of a stream that the server ends: an {@code end} event whose
	 * data says why.
	 * @param reason why the stream ends, for example {@code unauthorized}
	 * @return the frame
	 */
	static byte[] end(String reason) {
		StringBuilder frame = new StringBuilder("event:end\n");
		data(frame, reason);
		return bytes(frame.append('\n').toString());
	}

	// A line break inside the data would end the field: each line is a data field of its own.
	// The ControlCharacters are escaped, so that a terminal tailing the stream shows them
	// instead of obeying them.
	private static void data(StringBuilder frame, String data) {
		frame.append("data:");
		for (int i = 0; i < data.length(); i++) {
			char c = data.charAt(i);
			if (c == '\n' || c == '\r') {
				frame.append("\ndata:");
				if (c == '\r' && i + 1 < data.length() && data.charAt(i + 1) == '\n') {
					i++;
				}
			}
			else if (ControlCharacters.isHidden(c)) {
				ControlCharacters.appendEscaped(frame, c);
			}
			else {
				frame.append(c);
			}
		}
		frame.append('\n');
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
