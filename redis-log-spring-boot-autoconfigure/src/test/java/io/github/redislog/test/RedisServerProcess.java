package io.github.redislog.test;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

import static org.awaitility.Awaitility.await;

/**
 * A {@code redis-server} process of the test's own, on a free port of the loopback
 * interface, stopped by PID. It can be stopped and started again on the same port to
 * inject outages.
 *
 * @author Redis Log contributors
 */
public final class RedisServerProcess {

	private static final String EXECUTABLE = "redis-server";

	private final int port;

	private final List<String> arguments;

	private final Path directory;

	private final Path log;

	private @Nullable Process process;

	private RedisServerProcess(int port, List<String> arguments) {
		this.port = port;
		this.arguments = arguments;
		try {
			this.directory = Files.createTempDirectory("redis-server-" + port);
			this.log = this.directory.resolve("redis-server.log");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Return whether a {@code redis-server} executable is on the {@code PATH}.
	 * @return whether one can be started
	 */
	public static boolean isAvailable() {
		String path = System.getenv("PATH");
		if (path == null) {
			return false;
		}
		for (String dir : path.split(File.pathSeparator)) {
			if (new File(dir, EXECUTABLE).canExecute()) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Start a server on a free port.
	 * @return the running server
	 */
	public static RedisServerProcess startOnFreePort() {
		return startOnFreePort(List.of());
	}

	/**
	 * Start a server on a free port, whose port plus 10000 (a cluster's bus port) is free
	 * too, with more arguments.
	 * @param arguments more arguments, for example {@code --cluster-enabled yes}; a first
	 * one that does not start with {@code --} names a configuration file, created empty if
	 * missing; {@code {dir}} in an argument stands for the server's own working directory
	 * @return the running server
	 */
	public static RedisServerProcess startOnFreePort(List<String> arguments) {
		RedisServerProcess server = new RedisServerProcess(freePort(), arguments);
		server.start();
		return server;
	}

	public int port() {
		return this.port;
	}

	/**
	 * Return the server's own working directory.
	 * @return the directory
	 */
	public Path directory() {
		return this.directory;
	}

	/**
	 * Return whether the server process runs.
	 * @return whether it was started and has not exited
	 */
	public synchronized boolean isRunning() {
		return this.process != null && this.process.isAlive();
	}

	/**
	 * Start the server on its port and wait until it accepts connections.
	 */
	public synchronized void start() {
		if (this.process != null) {
			return;
		}
		try {
			List<String> command = new ArrayList<>(List.of(EXECUTABLE));
			List<String> arguments = this.arguments.stream()
				.map((argument) -> argument.replace("{dir}", this.directory.toString()))
				.toList();
			if (!arguments.isEmpty() && !arguments.get(0).startsWith("--")) {
				// A configuration file, which a Sentinel needs to write its state to.
				Path configuration = Path.of(arguments.get(0));
				if (!Files.exists(configuration)) {
					Files.createFile(configuration);
				}
				command.add(arguments.get(0));
				arguments = arguments.subList(1, arguments.size());
			}
			command.addAll(List.of("--port", String.valueOf(this.port), "--bind", "127.0.0.1", "--save", "",
					"--appendonly", "no", "--daemonize", "no", "--dir", this.directory.toString()));
			command.addAll(arguments);
			this.process = new ProcessBuilder(command).directory(this.directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(this.log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + EXECUTABLE, ex);
		}
		Process started = this.process;
		try {
			Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down (a SIGTERM while a tool starts its next server): no
			// hook would stop this one.
			started.destroyForcibly();
			throw ex;
		}
		await("redis-server on port " + this.port).atMost(Duration.ofSeconds(20)).until(() -> {
			if (!started.isAlive()) {
				throw new IllegalStateException(EXECUTABLE + " exited: " + Files.readString(this.log));
			}
			return acceptsConnections();
		});
	}

	/**
	 * Stop the server by its PID (SIGTERM) and wait until it has exited.
	 */
	public synchronized void stop() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		this.process = null;
		running.destroy();
		awaitExit(running);
	}

	/**
	 * Kill the server by its PID (SIGKILL), as a crash would, and wait until it has exited.
	 */
	public synchronized void kill() {
		Process running = this.process;
		if (running == null) {
			return;
		}
		this.process = null;
		running.destroyForcibly();
		awaitExit(running);
	}

	private static void awaitExit(Process running) {
		try {
			if (!running.waitFor(10, TimeUnit.SECONDS)) {
				running.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			running.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private boolean acceptsConnections() {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", this.port), 200);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() {
		while (true) {
			int port = anyFreePort();
			if (port < 55535 && isFree(port + 10000)) {
				return port;
			}
		}
	}

	private static int anyFreePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static boolean isFree(int port) {
		try (ServerSocket socket = new ServerSocket(port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
