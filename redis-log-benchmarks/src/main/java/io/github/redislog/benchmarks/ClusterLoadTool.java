package io.github.redislog.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.redislog.autoconfigure.RedisLogProperties;
import io.github.redislog.wire.PubSubMode;

import org.jspecify.annotations.Nullable;

/**
 * Delivered rate on a Redis Cluster against the ceiling of the same cluster, for clusters of
 * {@code --shards} masters (default 1 and 3) and, for reference, a standalone
 * {@code redis-server} written to through the direct connection, all in one run: each
 * target is started on loopback ports, the real starter runs against it
 * ({@code spring.data.redis.cluster.nodes} for a cluster) for {@link DeliveryRounds}, and
 * both are stopped by PID before the next target starts. On a cluster the ceiling is the
 * same command mix split per master by key slot, one {@code redis-cli --pipe} per master,
 * all at once.
 * <p>
 * On a cluster of more than one master it also pipes the global channel's commands alone
 * ({@code XADD}, {@code EXPIRE} and the publish of {@code stream:logs:global} /
 * {@code logs:global}) to the masters that serve them: every record goes there, so no
 * number of shards delivers more records per second than that.
 * <p>
 * Options are {@link LoadTool}'s with smaller defaults, for a machine that others share,
 * and {@code --shards=1,3} and {@code --standalone=true}; any other {@code --name=value} is
 * a Spring property, for example {@code --redis-log.pubsub=off}.
 *
 * @author Redis Log contributors
 */
public final class ClusterLoadTool {

	private final LoadTool.Options options;

	private ClusterLoadTool(LoadTool.Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		LoadTool.Options defaults = new LoadTool.Options();
		defaults.warmupRecords = 20_000;
		defaults.records = 40_000;
		defaults.rounds = 2;
		defaults.ceilingRecords = 100_000;
		new ClusterLoadTool(LoadTool.Options.parse(args, defaults)).run();
	}

	private void run() throws Exception {
		List<Result> results = new ArrayList<>();
		if (this.options.standalone) {
			results.add(measure(StandaloneRedis.start()));
		}
		for (int shards : this.options.shards) {
			results.add(measure(LocalCluster.start(shards)));
		}
		for (Result result : results) {
			System.out.println(result);
		}
	}

	/**
	 * Run the starter against a target, then stop both.
	 */
	private Result measure(RedisTarget target) throws Exception {
		try (RunningStarter starter = RunningStarter.start(target, new Class<?>[0],
				this.options.springArguments.toArray(String[]::new));
				RedisProbes probes = new RedisProbes(target)) {
			DeliveryRounds rounds = new DeliveryRounds(starter, probes, this.options.threads);
			String label = "[" + target.describe() + "] ";
			System.out.println(label + "settings:   " + rounds.settings());
			if (target.ports().size() > 1) {
				System.out.println(label + "placement:  " + placement(target, rounds.properties()));
			}
			DeliveryRounds.Rounds measured = rounds.run(label, this.options.warmupRecords, this.options.records,
					this.options.rounds, this.options.ceilingRecords);
			@Nullable Baseline globalAlone = null;
			if (target.ports().size() > 1) {
				CommandMix mix = measured.mix();
				try (RespCeiling global = RespCeiling.write("global channel alone, redis-cli --pipe", mix,
						this.options.ceilingRecords, target, probes,
						(key) -> mix.isGlobal(key) ? target.nodeOf(key) : -1)) {
					globalAlone = global.run();
				}
				System.out.println(label + "global:     " + globalAlone);
			}
			return new Result(target.describe(), rounds.properties().getPubsub(), measured, globalAlone);
		}
	}

	/**
	 * Tell which master serves each key and channel of the load: where the hot key sits.
	 */
	private String placement(RedisTarget target, RedisLogProperties properties) {
		String prefix = properties.getChannelPrefix() + ":";
		List<String> names = new ArrayList<>(List.of("stream:" + prefix + properties.getGlobalChannel(),
				prefix + properties.getGlobalChannel()));
		for (int t = 0; t < this.options.threads; t++) {
			names.add("stream:" + prefix + CommandMix.contextId(t));
		}
		for (int t = 0; t < this.options.threads; t++) {
			names.add(prefix + CommandMix.contextId(t));
		}
		StringBuilder placement = new StringBuilder();
		for (String name : names) {
			placement.append(name).append("->node").append(target.nodeOf(name.getBytes(StandardCharsets.UTF_8)))
				.append(' ');
		}
		return placement.toString().trim();
	}

	/**
	 * One target's figures.
	 *
	 * @param target the target, described
	 * @param pubSub how the starter published
	 * @param rounds the delivered and ceiling rounds
	 * @param globalAlone the global channel's commands alone, on a cluster of more than one
	 * master
	 */
	record Result(String target, PubSubMode pubSub, DeliveryRounds.Rounds rounds, @Nullable Baseline globalAlone) {

		// The busiest master, by its CPU per record, and the rate at which it would fill a
		// core: on 2 shared cores, three masters cannot each have one, so the rates measured
		// here cannot show the shards' own limit; their CPU per record can.
		@Override
		public String toString() {
			long records = this.rounds.deliveredRecords();
			NodeLoad busiest = NodeLoad.busiest(this.rounds.nodes());
			String global = "-";
			if (this.globalAlone != null) {
				NodeLoad globalNode = NodeLoad.busiest(this.globalAlone.nodes());
				global = String.format(Locale.ROOT, "%.0f global_alone_busiest_node_full_core_per_s=%.0f",
						this.globalAlone.perSecond(), globalNode.fullCorePerSecond(this.globalAlone.records()));
			}
			return String.format(Locale.ROOT,
					"RESULT redis=%s pubsub=%s delivered_per_s=%.0f ceiling_per_s=%.0f ratio_to_ceiling=%.2f "
							+ "ratios_by_round=%s jvm_cpu_us_per_record=%.2f busiest_node_xadd_share=%.2f "
							+ "busiest_node_cpu_us_per_record=%.2f busiest_node_full_core_per_s=%.0f "
							+ "global_alone_per_s=%s",
					this.target.replace(' ', '_'), this.pubSub.name().toLowerCase(Locale.ROOT),
					this.rounds.delivered(), this.rounds.ceiling(), this.rounds.ratio(),
					this.rounds.ratiosText().replace(" ", ""), this.rounds.jvmMicrosPerRecord(),
					(double) busiest.xAdds() / Math.max(1, 2 * records), busiest.cpuNanos() / 1e3 / Math.max(1, records),
					busiest.fullCorePerSecond(records), global);
		}

	}

}
