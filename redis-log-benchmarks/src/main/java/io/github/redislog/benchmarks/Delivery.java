package io.github.redislog.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * What one delivered phase of a load tool measured: records logged, what Redis counted of
 * them, and what it cost the JVM and Redis.
 *
 * @author Redis Log contributors
 */
record Delivery(long logged, long delivered, long droppedSoFar, long elapsedNanos, long connections,
		long allocatedBytes, long jvmCpuNanos, long redisCpuNanos, long machineCpuNanos, List<NodeLoad> nodes) {

	double perSecond() {
		return Measure.perSecond(this.delivered, this.elapsedNanos);
	}

	double allocatedBytesPerRecord() {
		return (double) this.allocatedBytes / Math.max(1, this.delivered);
	}

	// CPU time per record is what a busy neighbour on a shared machine disturbs least.
	double microsPerRecord(long cpuNanos) {
		return cpuNanos / 1e3 / Math.max(1, this.delivered);
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT,
				"logged=%d delivered=%d dropped_so_far=%d elapsed_s=%.2f delivered_per_s=%.0f "
						+ "new_connections=%d alloc_per_record_b=%.0f jvm_cpu_us_per_record=%.2f "
						+ "redis_cpu_us_per_record=%.2f jvm_cpu_pct=%.0f redis_cpu_pct=%.0f machine_cpu_pct=%.0f",
				this.logged, this.delivered, this.droppedSoFar, this.elapsedNanos / 1e9, perSecond(), this.connections,
				allocatedBytesPerRecord(), microsPerRecord(this.jvmCpuNanos), microsPerRecord(this.redisCpuNanos),
				Measure.percent(this.jvmCpuNanos, this.elapsedNanos),
				Measure.percent(this.redisCpuNanos, this.elapsedNanos),
				Measure.percent(this.machineCpuNanos, this.elapsedNanos))
				+ NodeLoad.describe(this.nodes, this.delivered, this.elapsedNanos);
	}

}
