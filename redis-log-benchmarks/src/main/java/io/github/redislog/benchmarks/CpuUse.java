package io.github.redislog.benchmarks;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time that the starter's worker thread, this JVM and Redis have used up to a
 * moment, and how long the JVM's collectors have paused it: two of them tell who was busy
 * in between, and so what bounds a phase.
 *
 * @param nanoTime when it was taken, {@link System#nanoTime()}
 * @param workerNanos CPU time of the thread named {@code redis-log-worker}
 * @param jvmNanos CPU time of this process, all its threads
 * @param redisNanos CPU time of the Redis servers
 * @param gcNanos time the JVM's collectors report (G1: its pauses)
 * @author Redis Log contributors
 */
record CpuUse(long nanoTime, long workerNanos, long jvmNanos, long redisNanos, long gcNanos) {

	private static final String WORKER = "redis-log-worker";

	static CpuUse now(RedisProbes redis) {
		return new CpuUse(System.nanoTime(), workerCpuNanos(), Measure.processCpuNanos(), redis.cpuNanos(),
				collectorNanos());
	}

	/**
	 * Return each one's share of the time since an earlier snapshot.
	 * @param earlier the earlier snapshot
	 * @return the shares
	 */
	Shares since(CpuUse earlier) {
		return new Shares(this.nanoTime - earlier.nanoTime, this.workerNanos - earlier.workerNanos,
				this.jvmNanos - earlier.jvmNanos, this.redisNanos - earlier.redisNanos, this.gcNanos - earlier.gcNanos);
	}

	private static long workerCpuNanos() {
		for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
			if (info.getThreadName().equals(WORKER)) {
				return ManagementFactory.getThreadMXBean().getThreadCpuTime(info.getThreadId());
			}
		}
		throw new IllegalStateException("No thread named " + WORKER);
	}

	private static long collectorNanos() {
		long millis = 0;
		for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
			millis += Math.max(0, collector.getCollectionTime());
		}
		return TimeUnit.MILLISECONDS.toNanos(millis);
	}

	/**
	 * Who was busy, and for how long, between two snapshots.
	 *
	 * @param elapsedNanos the time between them
	 * @param workerNanos CPU time of the worker thread
	 * @param jvmNanos CPU time of this process
	 * @param redisNanos CPU time of the Redis servers
	 * @param gcNanos time the collectors reported
	 */
	record Shares(long elapsedNanos, long workerNanos, long jvmNanos, long redisNanos, long gcNanos) {

		double workerPercent() {
			return Measure.percent(this.workerNanos, this.elapsedNanos);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"seconds=%.2f worker_cpu_pct=%.2f jvm_cpu_pct=%.2f redis_cpu_pct=%.2f gc_pct=%.2f",
					this.elapsedNanos / 1e9, workerPercent(), Measure.percent(this.jvmNanos, this.elapsedNanos),
					Measure.percent(this.redisNanos, this.elapsedNanos),
					Measure.percent(this.gcNanos, this.elapsedNanos));
		}

	}

}
