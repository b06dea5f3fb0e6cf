package io.github.redislog.health;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HealthErrors}.
 */
class HealthErrorsTests {

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			XADD stream:logs:User.bob: WRONGTYPE Operation against a key holding the wrong kind of value | XADD: WRONGTYPE
			PUBLISH logs:order_3f2a: NOPERM User writer has no permissions to access the 'logs:order_3f2a' channel | PUBLISH: NOPERM
			OOM command not allowed when used memory > 'maxmemory'. | OOM
			java.io.IOException: Redis at redis.example.com:6380 refused the login: WRONGPASS invalid username-password pair | IOException: WRONGPASS
			io.lettuce.core.RedisConnectionException: Unable to connect to 10.0.0.7/<unresolved>:6379 | RedisConnectionException: (see the log)
			io.netty.channel.AbstractChannel$AnnotatedConnectException: Connection refused: localhost/127.0.0.1:6379 | AbstractChannel$AnnotatedConnectException: Connection refused: (see the log)
			java.net.SocketTimeoutException: Redis did not respond within the timeout | SocketTimeoutException: Redis did not respond within the timeout
			no reply | no reply
			The delivery worker died: java.lang.IllegalStateException: user bob@example.com | The delivery worker died: IllegalStateException: (see the log)
			""")
	void namesCommandExceptionAndErrorCodeButNoKeyNorAddress(String error, String described) {
		assertThat(HealthErrors.describe(error)).isEqualTo(described);
	}

}
