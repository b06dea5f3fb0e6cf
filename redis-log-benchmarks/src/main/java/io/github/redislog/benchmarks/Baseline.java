package io.github.redislog.benchmarks;

import java.util.List;
import java.util.Locale;

/**
 * What a baseline (the same commands sent without the starter) measured.
 *
 * @author Redis Log contributors
 */
record Baseline(String how, long records, long elapsedNanos, long redisCpuNanos, long machineCpuNanos,
		List<NodeLoad> nodes) {

	double perSecond() {
		return Measure.perSecond(this.records, this.elapsedNanos);
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT,
				"%s: records=%d elapsed_s=%.2f per_s=%.0f redis_cpu_us_per_record=%.2f redis_cpu_pct=%.0f "
						+ "machine_cpu_pct=%.0f",
				this.how, this.records, this.elapsedNanos / 1e9, perSecond(), this.redisCpuNanos / 1e3 / this.records,
				Measure.percent(this.redisCpuNanos, this.elapsedNanos),
				Measure.percent(this.machineCpuNanos, this.elapsedNanos))
				+ NodeLoad.describe(this.nodes, this.records, this.elapsedNanos);
	}

}
