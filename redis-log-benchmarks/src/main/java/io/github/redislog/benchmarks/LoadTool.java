package io.github.redislog.benchmarks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.redislog.RedisLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * End-to-end load through the full starter into a {@code redis-server} of its own, next to
 * the two baselines for the same command mix, all in one run:
 * <ol>
 * <li><b>delivered</b>: {@code --threads} threads, each in a user's context, log
 * {@code --records} records each as fast as the starter takes them, alternating with the
 * ceiling for {@code --rounds} rounds (see {@link DeliveryRounds});</li>
 * <li><b>visible latency</b>: the same threads log {@code --rate} records per second in
 * all for {@code --paced-seconds}, each carrying {@link System#nanoTime()} of its log call;
 * a reader tails the global stream with {@code XREAD BLOCK} and compares;</li>
 * <li><b>ceiling</b>: the same commands for {@code --ceiling-records} records (same keys,
 * payloads read back from Redis, per-record {@code XADD MAXLEN ~} and {@code PUBLISH},
 * {@code EXPIRE} per batch), pre-encoded as RESP and piped through
 * {@code redis-cli --pipe};</li>
 * <li><b>naive</b>: the same commands for {@code --naive-records} records, one
 * {@code RedisTemplate} call each, waiting for every reply;</li>
 * <li><b>idle</b>: CPU that the worker and Redis use while nothing is logged.</li>
 * </ol>
 * It prints one line per part and a {@code RESULT} line. Other {@code --name=value}
 * arguments are Spring properties of the application, for example
 * {@code --redis-log.batch-size=500}. Every loop is bounded; the {@code redis-server} and
 * {@code redis-cli} it starts are stopped by PID.
 *
 * @author Redis Log contributors
 */
public final class LoadTool {

	private static final Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	private static final String PROBE = "Latency probe sent at ";

	private final Options options;

	private final RunningStarter starter;

	private final RedisProbes redis;

	private final DeliveryRounds rounds;

	private LoadTool(Options options, RunningStarter starter, RedisProbes redis) {
		this.options = options;
		this.starter = starter;
		this.redis = redis;
		this.rounds = new DeliveryRounds(starter, redis, options.threads);
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args, new Options());
		try (RunningStarter starter = RunningStarter.start(options.springArguments.toArray(String[]::new));
				RedisProbes redis = new RedisProbes(starter.target())) {
			new LoadTool(options, starter, redis).run();
		}
	}

	private void run() throws Exception {
		System.out.println("settings: " + this.rounds.settings() + " " + String.join(" ", this.options.springArguments));
		DeliveryRounds.Rounds rounds = this.rounds.run("", this.options.warmupRecords, this.options.records,
				this.options.rounds, this.options.ceilingRecords);
		Latency latency = visibleLatency();
		System.out.println("latency:    " + latency);
		Baseline naive = naive(rounds.mix());
		System.out.println("naive:      " + naive);
		CpuUse.Shares idle = idle();
		System.out.println("idle:       " + idle);
		System.out.println("ratios to ceiling by round: " + rounds.ratiosText());
		System.out.printf(Locale.ROOT,
				"RESULT delivered_per_s=%.0f ceiling_per_s=%.0f ratio_to_ceiling=%.2f naive_per_s=%.0f "
						+ "ratio_to_naive=%.1f p50_visible_ms=%.2f p99_visible_ms=%.2f alloc_per_record_b=%.0f "
						+ "idle_worker_cpu_pct=%.2f%n",
				rounds.delivered(), rounds.ceiling(), rounds.ratio(), naive.perSecond(),
				rounds.delivered() / naive.perSecond(), latency.percentileMillis(0.50), latency.percentileMillis(0.99),
				rounds.last().allocatedBytesPerRecord(), idle.workerPercent());
	}

	/**
	 * Log records at a steady rate, each carrying the time of its log call, and measure when
	 * a reader of the global stream sees them.
	 */
	private Latency visibleLatency() throws InterruptedException {
		int threads = this.options.threads;
		long perThread = (long) this.options.rate * this.options.pacedSeconds / threads;
		long intervalNanos = TimeUnit.SECONDS.toNanos(1) * threads / this.options.rate;
		int expected = (int) (perThread * threads);
		long[] visible = new long[expected];
		long[][] callNanos = new long[threads][(int) perThread];
		AtomicInteger received = new AtomicInteger();
		CountDownLatch go = new CountDownLatch(1);
		try (RedisProbe.StreamTail tail = this.redis.ownerOf(this.rounds.globalStreamKey()).tail(this.rounds.globalStreamKey())) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(this.options.pacedSeconds + 30L);
			Thread reader = Threads.start("load-reader", () -> {
				Threads.await(go);
				while (received.get() < expected && System.nanoTime() < deadline) {
					for (String payload : tail.next(Duration.ofMillis(100))) {
						long now = System.nanoTime();
						int at = payload.indexOf(PROBE);
						if (at >= 0 && received.get() < expected) {
							visible[received.getAndIncrement()] = now - parseLong(payload, at + PROBE.length());
						}
					}
				}
			});
			long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
			List<Thread> emitters = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				String username = CommandMix.username(t);
				emitters.add(Threads.start("load-" + t, () -> {
					Threads.await(go);
					try (RedisLogContext.Scope scope = RedisLogContext.openUserContext(username)) {
						for (int i = 0; i < perThread; i++) {
							long due = start + i * intervalNanos + thread * intervalNanos / threads;
							for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
								LockSupport.parkNanos(wait);
							}
							long called = System.nanoTime();
							log.info(PROBE + "{}", called);
							callNanos[thread][i] = System.nanoTime() - called;
						}
					}
				}));
			}
			go.countDown();
			Threads.join(emitters);
			reader.join();
		}
		long[] calls = Arrays.stream(callNanos).flatMapToLong(Arrays::stream).toArray();
		return new Latency(this.options.rate, expected, Arrays.copyOf(visible, received.get()), calls);
	}

	/**
	 * Send the command mix one {@code RedisTemplate} call per command.
	 */
	private Baseline naive(CommandMix mix) {
		StringRedisTemplate template = new StringRedisTemplate(
				this.starter.context().getBean(RedisConnectionFactory.class));
		long records = this.options.naiveRecords;
		long xAdds = this.redis.calls("xadd");
		long redisCpu = this.redis.cpuNanos();
		long machineCpu = Measure.machineCpuNanos();
		long start = System.nanoTime();
		mix.sendOneByOne(records, template);
		long elapsed = System.nanoTime() - start;
		long delivered = (this.redis.calls("xadd") - xAdds) / 2;
		if (delivered != records) {
			throw new IllegalStateException("Naive sending delivered " + delivered + " of " + records + " records");
		}
		return new Baseline("RedisTemplate, one call per command", records, elapsed,
				this.redis.cpuNanos() - redisCpu, Measure.machineCpuNanos() - machineCpu, List.of());
	}

	/**
	 * Measure the CPU used while nothing is logged.
	 */
	private CpuUse.Shares idle() throws InterruptedException {
		this.rounds.awaitQuiet();
		CpuUse before = CpuUse.now(this.redis);
		Thread.sleep(TimeUnit.SECONDS.toMillis(this.options.idleSeconds));
		return CpuUse.now(this.redis).since(before);
	}

	private static long parseLong(String text, int from) {
		long value = 0;
		for (int i = from; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
			value = value * 10 + (text.charAt(i) - '0');
		}
		return value;
	}

	record Latency(int rate, int sent, long[] visibleNanos, long[] callNanos) {

		Latency {
			Arrays.sort(visibleNanos);
			Arrays.sort(callNanos);
		}

		double percentileMillis(double quantile) {
			return percentile(this.visibleNanos, quantile) / 1e6;
		}

		private static long percentile(long[] sorted, double quantile) {
			if (sorted.length == 0) {
				return -1;
			}
			return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"rate_per_s=%d sent=%d seen=%d visible_ms p50=%.2f p90=%.2f p99=%.2f p99.9=%.2f max=%.2f; "
							+ "log_call_ns p50=%d p99=%d",
					this.rate, this.sent, this.visibleNanos.length, percentileMillis(0.5), percentileMillis(0.9),
					percentileMillis(0.99), percentileMillis(0.999), percentileMillis(1.0),
					percentile(this.callNanos, 0.5), percentile(this.callNanos, 0.99));
		}

	}

	/**
	 * The load tools' options; every other {@code --name=value} is a Spring property.
	 * {@code --shards} and {@code --standalone} are {@link ClusterLoadTool}'s.
	 */
	static final class Options {

		int threads = 4;

		long warmupRecords = 50_000;

		long records = 150_000;

		int rate = 10_000;

		int pacedSeconds = 10;

		long ceilingRecords = 300_000;

		long naiveRecords = 20_000;

		int idleSeconds = 5;

		int rounds = 3;

		List<Integer> shards = List.of(1, 3);

		boolean standalone = true;

		final List<String> springArguments = new ArrayList<>();

		/**
		 * Parse the arguments over defaults.
		 * @param args the arguments
		 * @param options the defaults, which are changed
		 * @return the options
		 */
		static Options parse(String[] args, Options options) {
			for (String arg : args) {
				String[] pair = arg.replaceFirst("^--", "").split("=", 2);
				String value = (pair.length > 1) ? pair[1] : "";
				switch (pair[0]) {
					case "threads" -> options.threads = Integer.parseInt(value);
					case "warmup-records" -> options.warmupRecords = Long.parseLong(value);
					case "records" -> options.records = Long.parseLong(value);
					case "rate" -> options.rate = Integer.parseInt(value);
					case "paced-seconds" -> options.pacedSeconds = Integer.parseInt(value);
					case "ceiling-records" -> options.ceilingRecords = Long.parseLong(value);
					case "naive-records" -> options.naiveRecords = Long.parseLong(value);
					case "idle-seconds" -> options.idleSeconds = Integer.parseInt(value);
					case "rounds" -> options.rounds = Integer.parseInt(value);
					case "shards" -> options.shards = Arrays.stream(value.split(",")).map(Integer::valueOf).toList();
					case "standalone" -> options.standalone = Boolean.parseBoolean(value);
					default -> {
						if (!arg.startsWith("--") || pair.length < 2) {
							throw new IllegalArgumentException("Unknown argument: " + arg);
						}
						options.springArguments.add(arg);
					}
				}
			}
			if (options.threads < 1 || options.rate < options.threads || options.records < 1 || options.rounds < 1
					|| options.shards.stream().anyMatch((shards) -> shards < 1 || shards > 16)) {
				throw new IllegalArgumentException(
						"Need at least one thread, one record, one round, a rate of one per thread and 1 to 16 shards");
			}
			return options;
		}

	}

}
