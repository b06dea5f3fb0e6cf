package io.github.redislog.benchmarks;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;

/**
 * The ceiling for a command mix: its commands pre-encoded as RESP, one file per server
 * (on a cluster, split by the slot of each command's key, as a client routes them), piped
 * through one {@code redis-cli --pipe} per server, all servers at once. Every
 * {@code redis-cli} is stopped by PID when it is done, when it fails and when the JVM
 * exits; {@link #close()} deletes the files.
 *
 * @author Redis Log contributors
 */
final class RespCeiling implements AutoCloseable {

	private final String how;

	private final RedisTarget target;

	private final RedisProbes probes;

	private final long records;

	private final List<Path> files = new ArrayList<>();

	private long xAdds;

	private RespCeiling(String how, RedisTarget target, RedisProbes probes, long records) {
		this.how = how;
		this.target = target;
		this.probes = probes;
		this.records = records;
	}

	/**
	 * Write the files for a command mix.
	 * @param how what the ceiling sends, for the output
	 * @param mix the commands
	 * @param records how many records
	 * @param target the servers
	 * @param probes probes on the same servers
	 * @param route the server for a key or channel, or {@code -1} to leave its commands
	 * out; {@link RedisTarget#nodeOf} for the whole mix
	 * @return the ceiling, ready to {@link #run()}
	 * @throws IOException if a file cannot be written
	 */
	static RespCeiling write(String how, CommandMix mix, long records, RedisTarget target, RedisProbes probes,
			ToIntFunction<byte[]> route) throws IOException {
		RespCeiling ceiling = new RespCeiling(how, target, probes, records);
		List<OutputStream> outputs = new ArrayList<>();
		try {
			for (int i = 0; i < target.ports().size(); i++) {
				Path file = Files.createTempFile("redis-log-ceiling-" + i + "-", ".resp");
				ceiling.files.add(file);
				outputs.add(new BufferedOutputStream(Files.newOutputStream(file), 1 << 20));
			}
			ceiling.xAdds = mix.writeResp(records, route, outputs);
		}
		catch (IOException | RuntimeException ex) {
			ceiling.close();
			throw ex;
		}
		finally {
			for (OutputStream output : outputs) {
				output.close();
			}
		}
		return ceiling;
	}

	/**
	 * Pipe the files, each to its server, all at once, and measure until the last
	 * {@code redis-cli} is done.
	 * @return the ceiling's figures
	 * @throws IOException if a {@code redis-cli} cannot be started
	 * @throws InterruptedException if interrupted while waiting for one
	 */
	Baseline run() throws IOException, InterruptedException {
		// Read by the shutdown hook while this thread adds to it.
		List<Process> pipes = new CopyOnWriteArrayList<>();
		List<Path> outputs = new ArrayList<>();
		Thread stopAll = new Thread(() -> pipes.forEach(Process::destroyForcibly));
		Runtime.getRuntime().addShutdownHook(stopAll);
		long xAddsBefore = this.probes.calls("xadd");
		List<NodeLoad> loads = this.probes.loads();
		long redisCpu = this.probes.cpuNanos();
		long machineCpu = Measure.machineCpuNanos();
		long start = System.nanoTime();
		try {
			for (int i = 0; i < this.files.size(); i++) {
				if (Files.size(this.files.get(i)) == 0) {
					continue;
				}
				Path output = Files.createTempFile("redis-log-ceiling-" + i + "-", ".out");
				outputs.add(output);
				pipes.add(new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p",
						Integer.toString(this.target.ports().get(i)), "--pipe")
					.redirectInput(this.files.get(i).toFile())
					.redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.start());
			}
			long deadline = System.nanoTime() + Threads.TIMEOUT.toNanos();
			for (Process pipe : pipes) {
				if (!pipe.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
					throw new IllegalStateException("redis-cli --pipe did not finish");
				}
			}
			long elapsed = System.nanoTime() - start;
			long counted = this.probes.calls("xadd") - xAddsBefore;
			if (counted != this.xAdds || pipes.stream().anyMatch((pipe) -> pipe.exitValue() != 0)) {
				throw new IllegalStateException("redis-cli --pipe delivered " + counted + " of " + this.xAdds
						+ " XADDs: " + read(outputs));
			}
			return new Baseline(this.how, this.records, elapsed, this.probes.cpuNanos() - redisCpu,
					Measure.machineCpuNanos() - machineCpu, NodeLoad.since(loads, this.probes.loads()));
		}
		finally {
			pipes.forEach(Process::destroyForcibly);
			Runtime.getRuntime().removeShutdownHook(stopAll);
			for (Path output : outputs) {
				Files.deleteIfExists(output);
			}
		}
	}

	private static String read(List<Path> outputs) throws IOException {
		StringBuilder text = new StringBuilder();
		for (Path output : outputs) {
			text.append(Files.readString(output, StandardCharsets.UTF_8).trim()).append(' ');
		}
		return text.toString().trim();
	}

	@Override
	public void close() {
		for (Path file : this.files) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				// A temporary file left behind: nothing to stop the run for.
			}
		}
	}

}
