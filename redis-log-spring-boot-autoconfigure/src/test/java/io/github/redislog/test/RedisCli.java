package io.github.redislog.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

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
		Path output = null;
		try {
			// Into a file, not a pipe: reading a pipe would wait for a redis-cli that hangs.
			output = Files.createTempFile("redis-cli", ".out");
			Process process = new ProcessBuilder(command).redirectErrorStream(true)
				.redirectOutput(output.toFile())
				.start();
			boolean exited = process.waitFor(60, TimeUnit.SECONDS);
			if (!exited) {
				process.destroyForcibly();
			}
			String printed = Files.readString(output, StandardCharsets.UTF_8);
			if (!exited || process.exitValue() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed: " + printed);
			}
			return printed;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
		finally {
			deleteQuietly(output);
		}
	}

	private static void deleteQuietly(@Nullable Path file) {
		if (file != null) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// A temporary file: the system cleans it up.
			}
		}
	}

}
