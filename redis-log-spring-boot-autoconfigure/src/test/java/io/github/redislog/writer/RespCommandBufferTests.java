package io.github.redislog.writer;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RespCommandBuffer}: the headers of RESP, whose lengths it writes in
 * place. What Redis makes of whole batches is covered by {@link RespConnectionTests}.
 */
class RespCommandBufferTests {

	@ParameterizedTest
	@ValueSource(ints = { 0, 1, 9, 10, 11, 99, 100, 1000, 65_536, 1_000_000 })
	void writesTheLengthOfEachArgumentInDecimal(int length) {
		RespCommandBuffer buffer = new RespCommandBuffer(16);
		buffer.command(12).argument(new byte[length]);
		String header = "*12\r\n$" + length + "\r\n";
		assertThat(text(buffer.encoded())).startsWith(header).hasSize(header.length() + length + 2).endsWith("\r\n");
	}

	@ParameterizedTest
	@ValueSource(longs = { 0, 7, 10, 3600, Long.MAX_VALUE, -1, Long.MIN_VALUE })
	void writesANumberArgumentAsItsDigits(long value) {
		RespCommandBuffer buffer = new RespCommandBuffer(16);
		buffer.command(1).argument(value);
		String digits = Long.toString(value);
		assertThat(text(buffer.encoded())).isEqualTo("*1\r\n$" + digits.length() + "\r\n" + digits + "\r\n");
		assertThat(buffer.commands()).isOne();
	}

	private static String text(ByteBuffer encoded) {
		return StandardCharsets.ISO_8859_1.decode(encoded).toString();
	}

}
