package io.github.redislog.capture;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LineBuffer}.
 *
 * @author Redis Log contributors
 */
class LineBufferTests {

	private final LineBuffer lines = new LineBuffer();

	@Test
	void returnsTheTextWithoutTrailingLineBreaksButKeepsInnerOnes() {
		assertThat(layOut("line 1\nline 2\r\n\n")).isEqualTo("line 1\nline 2");
		assertThat(layOut("\r\n")).isEmpty();
		assertThat(layOut("no line break")).isEqualTo("no line break");
	}

	@Test
	void aLongRecordLeavesNothingOfItselfInTheNextOne() {
		String longText = "x".repeat(40_000);
		assertThat(layOut(longText + "\n")).isEqualTo(longText);
		assertThat(layOut("short\n")).isEqualTo("short");
		assertThat(layOut("")).isEmpty();
	}

	@Test
	void aLayoutThatFailsLeavesNothingOfItselfInTheNextRecord() {
		assertThatIllegalStateException().isThrownBy(() -> this.lines.layOut("event", (event, buffer) -> {
			buffer.append("half written ");
			throw new IllegalStateException("layout failed");
		}));
		assertThat(layOut("next")).isEqualTo("next");
	}

	@Test
	void threadsLayingOutAtOnceEachGetTheirOwnRecord() throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		List<CompletableFuture<Boolean>> threads = IntStream.range(0, 4)
			.mapToObj((thread) -> CompletableFuture.supplyAsync(() -> {
				await(start);
				for (int i = 0; i < 20_000; i++) {
					String text = "thread " + thread + " record " + i;
					if (!layOut(text + "\n").equals(text)) {
						return false;
					}
				}
				return true;
			}))
			.toList();
		start.countDown();
		for (CompletableFuture<Boolean> thread : threads) {
			assertThat(thread.get(30, TimeUnit.SECONDS)).isTrue();
		}
	}

	private String layOut(String text) {
		return this.lines.layOut(text, (event, buffer) -> buffer.append(event));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
