package io.github.redislog.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What one server of a cluster did in a phase: its share of the {@code XADD}s tells
 * where the keys sit, its CPU whether it was the one that set the pace.
 *
 * @param xAdds the {@code XADD} calls it executed
 * @param cpuNanos the CPU time of its process
 * @author Redis Log contributors
 */
record NodeLoad(long xAdds, long cpuNanos) {

	static List<NodeLoad> since(List<NodeLoad> before, List<NodeLoad> after) {
		List<NodeLoad> loads = new ArrayList<>();
		for (int i = 0; i < after.size(); i++) {
			loads.add(new NodeLoad(after.get(i).xAdds - before.get(i).xAdds,
					after.get(i).cpuNanos - before.get(i).cpuNanos));
		}
		return loads;
	}

	static List<NodeLoad> sum(List<List<NodeLoad>> phases) {
		List<NodeLoad> sums = new ArrayList<>();
		for (List<NodeLoad> phase : phases) {
			for (int i = 0; i < phase.size(); i++) {
				NodeLoad load = phase.get(i);
				if (i == sums.size()) {
					sums.add(load);
				}
				else {
					sums.set(i, new NodeLoad(sums.get(i).xAdds + load.xAdds, sums.get(i).cpuNanos + load.cpuNanos));
				}
			}
		}
		return sums;
	}

	/**
	 * Return the server that used the most CPU: on a cluster, the one that sets the pace
	 * once each master has a core of its own.
	 * @param loads each server's load
	 * @return the busiest
	 */
	static NodeLoad busiest(List<NodeLoad> loads) {
		return loads.stream().max((a, b) -> Long.compare(a.cpuNanos, b.cpuNanos)).orElseThrow();
	}

	/**
	 * Return the records per second at which this server would use a whole core, from its
	 * CPU per record: the most a shard can take, whatever the machine's other servers do.
	 * @param records the records of the phases the load is of
	 * @return the rate
	 */
	double fullCorePerSecond(long records) {
		return Measure.perSecond(records, this.cpuNanos);
	}

	/**
	 * Describe each server's part of a phase, for a phase line; nothing for one server.
	 * @param loads each server's load in the phase
	 * @param records the records of the phase
	 * @param elapsedNanos how long the phase took
	 * @return for example {@code nodes=[xadd_share=0.62 cpu_pct=97 cpu_us_per_record=4.10 | ...]}
	 */
	static String describe(List<NodeLoad> loads, long records, long elapsedNanos) {
		if (loads.size() < 2) {
			return "";
		}
		long xAdds = Math.max(1, loads.stream().mapToLong(NodeLoad::xAdds).sum());
		return loads.stream()
			.map((load) -> String.format(Locale.ROOT, "xadd_share=%.2f cpu_pct=%.0f cpu_us_per_record=%.2f",
					(double) load.xAdds / xAdds, Measure.percent(load.cpuNanos, elapsedNanos),
					load.cpuNanos / 1e3 / Math.max(1, records)))
			.collect(Collectors.joining(" | ", " nodes=[", "]"));
	}

}
