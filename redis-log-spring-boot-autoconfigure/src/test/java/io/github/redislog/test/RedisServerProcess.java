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

	private final Path log;

	private @Nullable Process process;

	private RedisServerProcess(int port) {
		this.port = port;
		try {
			this.log = Files.createTempFile("redis-server-" + port, ".log");
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
		RedisServerProcess server = new RedisServerProcess(freePort());
		server.start();
		return server;
	}

	public int port() {
		return this.port;
	}

	/**
	 * Start the server on its port and wait until it accepts connections.
	 */
	public synchronized void start() {
		if (this.process != null) {
			return;
		}
		try {
			this.process = new ProcessBuilder(EXECUTABLE, "--port", String.valueOf(this.port), "--bind", "127.0.0.1",
					"--save", "", "--appendonly", "no", "--daemonize", "no")
				.redirectErrorStream(true)
				.redirectOutput(this.log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot start " + EXECUTABLE, ex);
		}
		Process started = this.process;
		Runtime.getRuntime().addShutdownHook(new Thread(started::destroyForcibly));
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
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
