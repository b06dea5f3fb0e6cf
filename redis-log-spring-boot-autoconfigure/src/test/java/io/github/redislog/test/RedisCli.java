package io.github.redislog.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code redis-cli} for the test support's administration of its own servers: light
 * enough to poll, and its answers are text.
 *
 * @author Redis Log contributors
 */
final class RedisCli {

	private RedisCli() {
	}

	/**
	 * Send a command to a server.
	 * @param server the server
	 * @param command the command and its arguments
	 * @return what {@code redis-cli} printed, or an empty string if it failed
	 */
	static String command(RedisServerProcess server, String... command) {
		List<String> cli = new ArrayList<>(List.of("-p", String.valueOf(server.port())));
		cli.addAll(List.of(command));
		try {
			return run(cli);
		}
		catch (IllegalStateException ex) {
			return "";
		}
	}

	/**
	 * Run {@code redis-cli} with arguments and wait for it.
	 * @param arguments the arguments
	 * @return what it printed
	 * @throws IllegalStateException if it failed or took more than a minute
	 */
	static String run(List<String> arguments) {
		List<String> command = new ArrayList<>(List.of("redis-cli"));
		command.addAll(arguments);
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
				process.destroyForcibly();
				throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
