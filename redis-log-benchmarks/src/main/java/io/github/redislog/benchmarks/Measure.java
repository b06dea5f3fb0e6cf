package io.github.redislog.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Clocks and counters that the load tools read: CPU time of this process and of the whole
 * machine, bytes allocated by threads, and the arithmetic the figures share.
 *
 * @author Redis Log contributors
 */
final class Measure {

	private Measure() {
	}

	static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * Return the CPU time that all processes of the machine have used: what this run's
	 * processes did not use of it was someone else's, which makes a run's figures suspect.
	 * @return the CPU time in nanoseconds, or {@code -1} if {@code /proc/stat} is unreadable
	 */
	static long machineCpuNanos() {
		try {
			String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
			long busy = 0;
			for (int i = 1; i < fields.length && i <= 7; i++) {
				busy += (i == 4 || i == 5) ? 0 : Long.parseLong(fields[i]);
			}
			return busy * 10_000_000L;
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	static long currentThreadAllocatedBytes() {
		return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
			.getCurrentThreadAllocatedBytes();
	}

	static Map<Long, Long> allocatedBytesByThread() {
		var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long[] ids = threads.getAllThreadIds();
		long[] bytes = threads.getThreadAllocatedBytes(ids);
		Map<Long, Long> allocated = new HashMap<>();
		for (int i = 0; i < ids.length; i++) {
			allocated.put(ids[i], bytes[i]);
		}
		return allocated;
	}

	// Threads that ran throughout (worker, Redis client); emitters count their own.
	static long allocatedSince(Map<Long, Long> before) {
		long sum = 0;
		for (Map.Entry<Long, Long> now : allocatedBytesByThread().entrySet()) {
			Long then = before.get(now.getKey());
			if (then != null && then >= 0 && now.getValue() >= 0) {
				sum += now.getValue() - then;
			}
		}
		return sum;
	}

	static double perSecond(long count, long nanos) {
		return count * 1e9 / nanos;
	}

	static double percent(long cpuNanos, long elapsedNanos) {
		return 100.0 * cpuNanos / elapsedNanos;
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

}
