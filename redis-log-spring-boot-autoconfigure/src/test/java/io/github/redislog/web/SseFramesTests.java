package io.github.redislog.web;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SseFrames}.
 */
class SseFramesTests {

	@Test
	void entryIsOneEventWhoseIdIsTheEntryId() {
		assertThat(text(SseFrames.entry(new LogStreamEntry("17-0", "{\"message\":\"hi\"}"))))
			.isEqualTo("id:17-0\ndata:{\"message\":\"hi\"}\n\n");
	}

	@Test
	void lineBreaksInDataNeverEndTheEvent() {
		assertThat(text(SseFrames.entry(new LogStreamEntry("1-0", "a\nid:2-0\r\ndata:b\rc"))))
			.isEqualTo("id:1-0\ndata:a\ndata:id:2-0\ndata:data:b\ndata:c\n\n");
	}

	@Test
	void controlsTerminalsWouldObeyAreEscapedAsJsonDoes() {
		String osc = "\u009d0;owned\u009c";
		String json = "{\"message\":\"" + osc + " \u202eevil\u2066 \u2028next\u2029 \u00e9t\u00e9\"}";
		byte[] frame = SseFrames.entry(new LogStreamEntry("1-0", json));
		for (byte b : frame) {
			// No C1 control is left: in UTF-8 they are 0xC2 followed by 0x80 to 0x9F.
			assertThat(b & 0xff).isNotEqualTo(0xc2);
		}
		assertThat(text(frame)).isEqualTo("id:1-0\ndata:{\"message\":\"\\u009d0;owned\\u009c \\u202eevil\\u2066 "
				+ "\\u2028next\\u2029 \u00e9t\u00e9\"}\n\n");
	}

	@Test
	void endSaysWhy() {
		assertThat(text(SseFrames.end("unauthorized"))).isEqualTo("event:end\ndata:unauthorized\n\n");
		assertThat(text(StreamEnd.SHUTDOWN.frame())).isEqualTo("event:end\ndata:shutdown\n\n");
		assertThat(StreamEnd.SLOW.frame()).isNull();
	}

	private static String text(byte[] frame) {
		return new String(frame, StandardCharsets.UTF_8);
	}

}
