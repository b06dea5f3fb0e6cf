package io.github.redislog.web;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FrameQueue}.
 */
class FrameQueueTests {

	private final FrameQueue queue = new FrameQueue(10);

	@Test
	void countsTheBytesOfTheFramesThatWaitInTheOrderTheyCame() {
		byte[] first = new byte[3];
		byte[] second = new byte[4];
		assertThat(this.queue.add(first)).isZero();
		assertThat(this.queue.add(second)).isEqualTo(3);
		assertThat(this.queue.bytes()).isEqualTo(7);
		assertThat(this.queue.poll()).isSameAs(first);
		assertThat(this.queue.bytes()).isEqualTo(4);
		assertThat(this.queue.poll()).isSameAs(second);
		assertThat(this.queue.poll()).isNull();
		assertThat(this.queue.bytes()).isZero();
	}

	@Test
	void tellsWhatFitsTheBoundButTakesFramesBeyondIt() {
		this.queue.add(new byte[4]);
		assertThat(this.queue.hasRoom()).isTrue();
		assertThat(this.queue.fits(new byte[6])).isTrue();
		assertThat(this.queue.fits(new byte[7])).isFalse();
		this.queue.add(new byte[9]);
		assertThat(this.queue.hasRoom()).isFalse();
		assertThat(this.queue.room()).isEqualTo(-3);
		this.queue.clear();
		assertThat(this.queue.bytes()).isZero();
		assertThat(this.queue.poll()).isNull();
		assertThat(this.queue.room()).isEqualTo(10);
	}

}
