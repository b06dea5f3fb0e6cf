package io.github.redislog.writer;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Where a {@link RespConnection} connects and how it logs in.
 *
 * @param host the host name or address
 * @param port the port
 * @param username the ACL user, or {@code null} for the default user
 * @param password the password, or {@code null} if Redis asks for none
 * @param database the database index
 * @param connectTimeout how long to wait for the TCP connection
 * @param timeout how long to wait for Redis to take commands and reply
 * @author Redis Log contributors
 */
public record RespEndpoint(String host, int port, @Nullable String username, char @Nullable [] password,
		int database, Duration connectTimeout, Duration timeout) {

	public RespEndpoint {
		Assert.hasText(host, "'host' must not be empty");
		Assert.isTrue(port > 0 && port <= 65535, "'port' must be between 1 and 65535");
		Assert.isTrue(database >= 0, "'database' must not be negative");
		Assert.isTrue(!connectTimeout.isNegative() && !connectTimeout.isZero(), "'connectTimeout' must be positive");
		Assert.isTrue(!timeout.isNegative() && !timeout.isZero(), "'timeout' must be positive");
	}

	@Override
	public String toString() {
		// Never the password.
		return "redis://" + this.host + ":" + this.port + "/" + this.database;
	}

}
