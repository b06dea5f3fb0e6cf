package io.github.redislog.test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * HTTP Basic credentials of the test users, whose password is always {@code password}.
 *
 * @author Redis Log contributors
 */
public final class BasicAuthentication {

	private BasicAuthentication() {
	}

	/**
	 * Return the value of an HTTP Basic {@code Authorization} header.
	 * @param user the user, whose password is {@code password}
	 * @return the header value
	 */
	public static String header(String user) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":password").getBytes(StandardCharsets.UTF_8));
	}

}
