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
	void endSaysWhy() {
		assertThat(text(SseFrames.end("unauthorized"))).isEqualTo("event:end\ndata:unauthorized\n\n");
		assertThat(text(StreamEnd.SHUTDOWN.frame())).isEqualTo("event:end\ndata:shutdown\n\n");
		assertThat(StreamEnd.SLOW.frame()).isNull();
	}

	private static String text(byte[] frame) {
		return new String(frame, StandardCharsets.UTF_8);
	}

}
