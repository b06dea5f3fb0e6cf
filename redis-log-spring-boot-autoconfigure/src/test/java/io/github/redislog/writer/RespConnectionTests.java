package io.github.redislog.writer;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import io.github.redislog.test.TestRedis;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RespConnection} and {@link RespCommandBuffer} against a
 * {@code redis-server} of their own, which some tests pause, stop or lock.
 */
class RespConnectionTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private final String key = "resp-" + UUID.randomUUID();

	private final RespCommandBuffer commands = new RespCommandBuffer(16);

	private @Nullable RespConnection connection;

	@AfterEach
	void close() throws IOException {
		if (this.connection != null) {
			this.connection.close();
		}
	}

	@Test
	void writesArgumentsByteForByte() throws IOException {
		byte[] binary = { 0, '\r', '\n', '$', '*', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF };
		byte[] large = new byte[300_000];
		large[large.length - 1] = 'z';
		this.commands.command(3).argument(bytes("SET")).argument(bytes(this.key)).argument(binary);
		this.commands.command(3).argument(bytes("SET")).argument(bytes(this.key + ":large")).argument(large);
		this.commands.command(3).argument(bytes("SET")).argument(bytes(this.key + ":empty")).argument(new byte[0]);
		this.commands.command(4)
			.argument(bytes("HSET"))
			.argument(bytes(this.key + ":number"))
			.argument(bytes("n"))
			.argument(-1234567890123L);
		RespConnection connection = connect(Duration.ofSeconds(5));
		assertThat(connection.execute(this.commands)).isNull();
		// A reply larger than the read buffer, then one that shows the replies are still in step.
		this.commands.clear();
		this.commands.command(2).argument(bytes("GET")).argument(bytes(this.key + ":large"));
		this.commands.command(2).argument(bytes("INCR")).argument(bytes(this.key));
		assertThat(connection.execute(this.commands)).startsWith("ERR value is not an integer");
		assertThat(get(this.key)).isEqualTo(binary);
		assertThat(get(this.key + ":large")).isEqualTo(large);
		assertThat(get(this.key + ":empty")).isEmpty();
		assertThat(redis.template().opsForHash().get(this.key + ":number", "n")).isEqualTo("-1234567890123");
	}

	@Test
	void readsEveryKindOfReplyAndReturnsTheFirstError() throws IOException {
		redis.template().opsForValue().set(this.key, "not a number");
		this.commands.command(2).argument(bytes("GET")).argument(bytes(this.key + ":missing"));
		this.commands.command(2).argument(bytes("INCR")).argument(bytes(this.key + ":counter"));
		this.commands.command(1).argument(bytes("MULTI"));
		this.commands.command(2).argument(bytes("INCR")).argument(bytes(this.key));
		this.commands.command(2).argument(bytes("GET")).argument(bytes(this.key));
		this.commands.command(1).argument(bytes("EXEC"));
		this.commands.command(2).argument(bytes("NOSUCHCOMMAND")).argument(bytes("x"));
		this.commands.command(2).argument(bytes("INCR")).argument(bytes(this.key + ":counter"));
		RespConnection connection = connect(Duration.ofSeconds(5));
		// The EXEC array holds INCR's error; the unknown command comes later.
		assertThat(connection.execute(this.commands)).startsWith("ERR value is not an integer");
		assertThat(redis.template().opsForValue().get(this.key + ":counter")).isEqualTo("2");
		this.commands.clear();
		this.commands.command(2).argument(bytes("INCR")).argument(bytes(this.key + ":counter"));
		assertThat(connection.execute(this.commands)).isNull();
		assertThat(redis.template().opsForValue().get(this.key + ":counter")).isEqualTo("3");
	}

	@Test
	void logsInWithUserPasswordAndDatabase() throws IOException {
		redis.template().execute((RedisCallback<Object>) (connection) -> connection
			.execute("ACL", bytes("SETUSER"), bytes("log-writer"), bytes("on"), bytes(">s3cret"), bytes("~*"),
					bytes("+@all")));
		try {
			RespEndpoint endpoint = new RespEndpoint(redis.host(), redis.port(), "log-writer", "s3cret".toCharArray(),
					3, Duration.ofSeconds(5), Duration.ofSeconds(5));
			try (RespConnection loggedIn = RespConnection.open(endpoint)) {
				this.commands.command(3).argument(bytes("SET")).argument(bytes(this.key)).argument(bytes("in db 3"));
				assertThat(loggedIn.execute(this.commands)).isNull();
			}
			RedisStandaloneConfiguration database3 = new RedisStandaloneConfiguration(redis.host(), redis.port());
			database3.setDatabase(3);
			LettuceConnectionFactory factory = new LettuceConnectionFactory(database3);
			factory.afterPropertiesSet();
			try (RedisConnection connection = factory.getConnection()) {
				assertThat(connection.stringCommands().get(bytes(this.key))).isEqualTo(bytes("in db 3"));
			}
			finally {
				factory.destroy();
			}
			RespEndpoint wrongPassword = new RespEndpoint(redis.host(), redis.port(), "log-writer",
					"wrong".toCharArray(), 0, Duration.ofSeconds(5), Duration.ofSeconds(5));
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> RespConnection.open(wrongPassword))
				.withMessageContaining("refused the login")
				.withMessageContaining("WRONGPASS")
				.withMessageNotContaining("wrong");
		}
		finally {
			this.commands.clear();
			this.commands.command(3).argument(bytes("ACL")).argument(bytes("DELUSER")).argument(bytes("log-writer"));
			assertThat(connect(Duration.ofSeconds(5)).execute(this.commands)).isNull();
		}
	}

	@Test
	void failsWhenRedisDoesNotReplyInTime() throws IOException {
		RespConnection connection = connect(Duration.ofMillis(300));
		pause(Duration.ofSeconds(30));
		try {
			this.commands.command(3).argument(bytes("SET")).argument(bytes(this.key)).argument(bytes("paused"));
			assertThatExceptionOfType(SocketTimeoutException.class)
				.isThrownBy(() -> connection.execute(this.commands));
		}
		finally {
			unpause();
		}
	}

	@Test
	void closeFromAnotherThreadEndsAnExchangeAtOnce() throws IOException {
		RespConnection connection = connect(Duration.ofMinutes(5));
		pause(Duration.ofSeconds(30));
		try {
			this.commands.command(3).argument(bytes("SET")).argument(bytes(this.key)).argument(bytes("paused"));
			CountDownLatch started = new CountDownLatch(1);
			CompletableFuture<@Nullable String> exchange = CompletableFuture.supplyAsync(() -> {
				started.countDown();
				try {
					return connection.execute(this.commands);
				}
				catch (IOException ex) {
					throw new IllegalStateException(ex);
				}
			});
			await().until(() -> started.getCount() == 0);
			await().during(Duration.ofMillis(200)).until(() -> !exchange.isDone());
			connection.close();
			await().atMost(Duration.ofSeconds(5)).until(exchange::isDone);
			assertThat(exchange).isCompletedExceptionally();
		}
		finally {
			unpause();
		}
	}

	@Test
	void failsWhenRedisGoesAway() throws IOException {
		RespConnection connection = connect(Duration.ofSeconds(5));
		this.commands.command(1).argument(bytes("PING"));
		assertThat(connection.execute(this.commands)).isNull();
		redis.server().stop();
		try {
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> connection.execute(this.commands));
			assertThatExceptionOfType(IOException.class).isThrownBy(() -> connect(Duration.ofSeconds(5)));
		}
		finally {
			redis.server().start();
		}
	}

	@Test
	void endpointNeverShowsThePassword() {
		RespEndpoint endpoint = new RespEndpoint("redis.example.com", 6380, "user", "s3cret".toCharArray(), 2,
				Duration.ofSeconds(1), Duration.ofSeconds(1));
		assertThat(endpoint).hasToString("redis://redis.example.com:6380/2");
	}

	private RespConnection connect(Duration timeout) throws IOException {
		this.connection = RespConnection
			.open(new RespEndpoint(redis.host(), redis.port(), null, null, 0, Duration.ofSeconds(5), timeout));
		return this.connection;
	}

	// Writes only, so that the test's own UNPAUSE still gets through.
	private static void pause(Duration duration) {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("PAUSE"),
					bytes(Long.toString(duration.toMillis())), bytes("WRITE")));
	}

	private static void unpause() {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", bytes("UNPAUSE")));
	}

	private static byte[] get(String key) {
		return redis.template()
			.execute((RedisCallback<byte[]>) (RedisConnection connection) -> connection.stringCommands().get(bytes(key)));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
