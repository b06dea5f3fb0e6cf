package io.github.redislog.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogProperties;
import io.github.redislog.delivery.RedisLogPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * End-to-end load through the full starter into a {@code redis-server} of its own, next to
 * the two baselines for the same command mix, all in one run:
 * <ol>
 * <li><b>delivered</b>: {@code --threads} threads, each in a user's context, log
 * {@code --records} records each as fast as the starter takes them (an emitter pauses while
 * the queue is half full, so nothing is dropped and no CPU goes to records that are not
 * delivered); the rate is what Redis counted ({@code INFO commandstats}, two
 * {@code XADD} per record) over the time from the first call to the last reply;</li>
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

	private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(2);

	private final Options options;

	private final RunningStarter starter;

	private final RedisProbe redis;

	private final RedisLogProperties properties;

	private LoadTool(Options options, RunningStarter starter, RedisProbe redis) {
		this.options = options;
		this.starter = starter;
		this.redis = redis;
		this.properties = starter.context().getBean(RedisLogProperties.class);
	}

	public static void main(String[] args) throws Exception {
		Options options = Options.parse(args);
		try (RunningStarter starter = RunningStarter.start(options.springArguments.toArray(String[]::new));
				RedisProbe redis = new RedisProbe(starter.redisPort())) {
			new LoadTool(options, starter, redis).run();
		}
	}

	private void run() throws Exception {
		System.out.printf("settings: threads=%d batch-size=%d flush-interval=%s queue-capacity=%d publisher=%s %s%n",
				this.options.threads, this.properties.getBatchSize(), this.properties.getFlushInterval(),
				this.properties.getQueueCapacity(),
				this.starter.context().getBean(RedisLogPublisher.class).getClass().getSimpleName(),
				String.join(" ", this.options.springArguments));
		awaitQuiet();
		System.out.println("warmup:     " + deliver(this.options.warmupRecords));
		// Delivery and ceiling alternate, so that a slow patch of a shared machine hits both.
		List<Double> delivered = new ArrayList<>();
		List<Double> ceilings = new ArrayList<>();
		List<Double> ratios = new ArrayList<>();
		Delivery delivery = null;
		CommandMix mix = null;
		Path resp = Files.createTempFile("redis-log-ceiling", ".resp");
		try {
			for (int round = 1; round <= this.options.rounds; round++) {
				delivery = deliver(this.options.records);
				System.out.println("delivered:  " + delivery);
				if (mix == null) {
					mix = commandMix();
					mix.writeResp(this.options.ceilingRecords, resp);
				}
				Baseline ceiling = ceiling(resp);
				System.out.println("ceiling:    " + ceiling);
				delivered.add(delivery.perSecond());
				ceilings.add(ceiling.perSecond());
				ratios.add(delivery.perSecond() / ceiling.perSecond());
			}
		}
		finally {
			Files.deleteIfExists(resp);
		}
		Latency latency = visibleLatency();
		System.out.println("latency:    " + latency);
		Baseline naive = naive(mix);
		System.out.println("naive:      " + naive);
		Idle idle = idle();
		System.out.println("idle:       " + idle);
		System.out.printf(Locale.ROOT, "ratios to ceiling by round: %s%n", ratios.stream()
			.map((ratio) -> String.format(Locale.ROOT, "%.2f", ratio))
			.toList());
		System.out.printf(Locale.ROOT,
				"RESULT delivered_per_s=%.0f ceiling_per_s=%.0f ratio_to_ceiling=%.2f naive_per_s=%.0f "
						+ "ratio_to_naive=%.1f p50_visible_ms=%.2f p99_visible_ms=%.2f alloc_per_record_b=%.0f "
						+ "idle_worker_cpu_pct=%.2f%n",
				median(delivered), median(ceilings), median(ratios), naive.perSecond(),
				median(delivered) / naive.perSecond(), latency.percentileMillis(0.50), latency.percentileMillis(0.99),
				delivery.allocatedBytesPerRecord(), idle.workerCpuPercent());
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int middle = sorted.size() / 2;
		return (sorted.size() % 2 == 1) ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
	}

	/**
	 * Log records from all threads as fast as the starter takes them and measure what Redis
	 * received.
	 */
	private Delivery deliver(long recordsPerThread) throws InterruptedException {
		int highWater = Math.max(1, this.properties.getQueueCapacity() / 2);
		long xAdds = this.redis.calls("xadd");
		long connections = this.redis.connectionsReceived();
		long handled = handledRecords();
		Map<Long, Long> allocated = allocatedBytesByThread();
		long jvmCpu = processCpuNanos();
		long redisCpu = this.redis.cpuNanos();
		long machineCpu = machineCpuNanos();
		LongAdder emitterAllocated = new LongAdder();
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> emitters = new ArrayList<>();
		for (int t = 0; t < this.options.threads; t++) {
			String customer = "customer-" + t;
			String contextId = CommandMix.contextId(t);
			emitters.add(emitter("load-" + t, () -> {
				await(go);
				long before = currentThreadAllocatedBytes();
				try (RedisLogContext.Scope scope = RedisLogContext.open(contextId)) {
					for (long i = 0; i < recordsPerThread; i++) {
						// Now and then: the queue's size takes its lock, as offer does.
						while ((i & 63) == 0 && this.starter.queue().size() >= highWater) {
							LockSupport.parkNanos(20_000);
						}
						log.info("Order {} placed for {}", i, customer);
					}
				}
				emitterAllocated.add(currentThreadAllocatedBytes() - before);
			}));
		}
		long start = System.nanoTime();
		go.countDown();
		join(emitters);
		long target = handled + recordsPerThread * this.options.threads;
		awaitCondition("delivery of " + target + " records", () -> handledRecords() >= target);
		long elapsed = System.nanoTime() - start;
		long threadsAllocated = emitterAllocated.sum() + allocatedSince(allocated);
		long delivered = (this.redis.calls("xadd") - xAdds) / 2;
		return new Delivery(recordsPerThread * this.options.threads, delivered,
				this.starter.droppedRecords().total(), elapsed, this.redis.connectionsReceived() - connections,
				threadsAllocated, processCpuNanos() - jvmCpu, this.redis.cpuNanos() - redisCpu,
				machineCpuNanos() - machineCpu);
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
		try (RedisProbe.StreamTail tail = this.redis.tail(globalStreamKey())) {
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(this.options.pacedSeconds + 30L);
			Thread reader = emitter("load-reader", () -> {
				await(go);
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
				String contextId = CommandMix.contextId(t);
				emitters.add(emitter("load-" + t, () -> {
					await(go);
					try (RedisLogContext.Scope scope = RedisLogContext.open(contextId)) {
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
			join(emitters);
			reader.join();
		}
		long[] calls = Arrays.stream(callNanos).flatMapToLong(Arrays::stream).toArray();
		return new Latency(this.options.rate, expected, Arrays.copyOf(visible, received.get()), calls);
	}

	private CommandMix commandMix() {
		List<byte[]> payloads = new ArrayList<>();
		for (byte[] payload : this.redis.newestPayloads(globalStreamKey(), 1000)) {
			if (new String(payload, StandardCharsets.UTF_8).contains("Order ")) {
				payloads.add(payload);
			}
		}
		if (payloads.isEmpty()) {
			throw new IllegalStateException("No delivered payload found in " + globalStreamKey());
		}
		RedisLogProperties.Stream stream = this.properties.getStream();
		return new CommandMix(this.properties.getChannelPrefix(), this.options.threads, payloads,
				this.properties.getBatchSize(), stream.getMaxLength(), stream.getContextTtl().toSeconds(),
				stream.getGlobalTtl().toSeconds());
	}

	/**
	 * Replay the command mix, pre-encoded as RESP, through {@code redis-cli --pipe}.
	 */
	private Baseline ceiling(Path resp) throws IOException, InterruptedException {
		long records = this.options.ceilingRecords;
		long xAdds = this.redis.calls("xadd");
		long redisCpu = this.redis.cpuNanos();
		long machineCpu = machineCpuNanos();
		long start = System.nanoTime();
		Process cli = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p",
				Integer.toString(this.starter.redisPort()), "--pipe")
			.redirectInput(resp.toFile())
			.redirectErrorStream(true)
			.start();
		String output;
		try {
			output = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			if (!cli.waitFor(DELIVERY_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
				throw new IllegalStateException("redis-cli --pipe did not finish");
			}
		}
		finally {
			cli.destroyForcibly();
		}
		long elapsed = System.nanoTime() - start;
		long delivered = (this.redis.calls("xadd") - xAdds) / 2;
		if (cli.exitValue() != 0 || delivered != records) {
			throw new IllegalStateException("redis-cli --pipe delivered " + delivered + " of " + records
					+ " records: " + output);
		}
		return new Baseline("redis-cli --pipe", records, elapsed, this.redis.cpuNanos() - redisCpu,
				machineCpuNanos() - machineCpu);
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
		long machineCpu = machineCpuNanos();
		long start = System.nanoTime();
		mix.sendOneByOne(records, template);
		long elapsed = System.nanoTime() - start;
		long delivered = (this.redis.calls("xadd") - xAdds) / 2;
		if (delivered != records) {
			throw new IllegalStateException("Naive sending delivered " + delivered + " of " + records + " records");
		}
		return new Baseline("RedisTemplate, one call per command", records, elapsed,
				this.redis.cpuNanos() - redisCpu, machineCpuNanos() - machineCpu);
	}

	/**
	 * Measure the CPU used while nothing is logged.
	 */
	private Idle idle() throws InterruptedException {
		awaitQuiet();
		long workerId = threadId("redis-log-worker");
		var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
		long worker = threads.getThreadCpuTime(workerId);
		long jvm = processCpuNanos();
		long redisCpu = this.redis.cpuNanos();
		long start = System.nanoTime();
		Thread.sleep(TimeUnit.SECONDS.toMillis(this.options.idleSeconds));
		long elapsed = System.nanoTime() - start;
		return new Idle(elapsed, threads.getThreadCpuTime(workerId) - worker, processCpuNanos() - jvm,
				this.redis.cpuNanos() - redisCpu);
	}

	private String globalStreamKey() {
		return "stream:" + this.properties.getChannelPrefix() + ":" + this.properties.getGlobalChannel();
	}

	private long handledRecords() {
		return this.starter.worker().publishedCount() + this.starter.droppedRecords().total();
	}

	private void awaitQuiet() throws InterruptedException {
		long handled;
		do {
			handled = handledRecords();
			Thread.sleep(200);
		}
		while (handled != handledRecords() || this.starter.queue().size() > 0);
	}

	private static void awaitCondition(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Timed out waiting for " + what);
			}
			LockSupport.parkNanos(100_000);
		}
	}

	private static Thread emitter(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static void join(List<Thread> threads) throws InterruptedException {
		for (Thread thread : threads) {
			thread.join(DELIVERY_TIMEOUT.toMillis());
			if (thread.isAlive()) {
				throw new IllegalStateException(thread.getName() + " did not finish");
			}
		}
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static long parseLong(String text, int from) {
		long value = 0;
		for (int i = from; i < text.length() && Character.isDigit(text.charAt(i)); i++) {
			value = value * 10 + (text.charAt(i) - '0');
		}
		return value;
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * Return the CPU time that all processes of the machine have used: what this run's
	 * processes did not use of it was someone else's, which makes a run's figures suspect.
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

	private static long currentThreadAllocatedBytes() {
		return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
			.getCurrentThreadAllocatedBytes();
	}

	private static Map<Long, Long> allocatedBytesByThread() {
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
	private static long allocatedSince(Map<Long, Long> before) {
		long sum = 0;
		for (Map.Entry<Long, Long> now : allocatedBytesByThread().entrySet()) {
			Long then = before.get(now.getKey());
			if (then != null && then >= 0 && now.getValue() >= 0) {
				sum += now.getValue() - then;
			}
		}
		return sum;
	}

	private static long threadId(String name) {
		for (ThreadInfo info : ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
			if (info.getThreadName().equals(name)) {
				return info.getThreadId();
			}
		}
		throw new IllegalStateException("No thread named " + name);
	}

	private static double perSecond(long count, long nanos) {
		return count * 1e9 / nanos;
	}

	private static double percent(long cpuNanos, long elapsedNanos) {
		return 100.0 * cpuNanos / elapsedNanos;
	}

	record Delivery(long logged, long delivered, long droppedSoFar, long elapsedNanos, long connections,
			long allocatedBytes, long jvmCpuNanos, long redisCpuNanos, long machineCpuNanos) {

		double perSecond() {
			return LoadTool.perSecond(this.delivered, this.elapsedNanos);
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
					this.logged, this.delivered, this.droppedSoFar, this.elapsedNanos / 1e9, perSecond(),
					this.connections, allocatedBytesPerRecord(), microsPerRecord(this.jvmCpuNanos),
					microsPerRecord(this.redisCpuNanos), percent(this.jvmCpuNanos, this.elapsedNanos),
					percent(this.redisCpuNanos, this.elapsedNanos), percent(this.machineCpuNanos, this.elapsedNanos));
		}

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

	record Baseline(String how, long records, long elapsedNanos, long redisCpuNanos, long machineCpuNanos) {

		double perSecond() {
			return LoadTool.perSecond(this.records, this.elapsedNanos);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT,
					"%s: records=%d elapsed_s=%.2f per_s=%.0f redis_cpu_us_per_record=%.2f redis_cpu_pct=%.0f "
							+ "machine_cpu_pct=%.0f",
					this.how, this.records, this.elapsedNanos / 1e9, perSecond(),
					this.redisCpuNanos / 1e3 / this.records, percent(this.redisCpuNanos, this.elapsedNanos),
					percent(this.machineCpuNanos, this.elapsedNanos));
		}

	}

	record Idle(long elapsedNanos, long workerCpuNanos, long jvmCpuNanos, long redisCpuNanos) {

		double workerCpuPercent() {
			return percent(this.workerCpuNanos, this.elapsedNanos);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "seconds=%.1f worker_cpu_pct=%.2f jvm_cpu_pct=%.2f redis_cpu_pct=%.2f",
					this.elapsedNanos / 1e9, workerCpuPercent(), percent(this.jvmCpuNanos, this.elapsedNanos),
					percent(this.redisCpuNanos, this.elapsedNanos));
		}

	}

	/**
	 * The tool's options; every other {@code --name=value} is a Spring property.
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

		final List<String> springArguments = new ArrayList<>();

		static Options parse(String[] args) {
			Options options = new Options();
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
					default -> {
						if (!arg.startsWith("--") || pair.length < 2) {
							throw new IllegalArgumentException("Unknown argument: " + arg);
						}
						options.springArguments.add(arg);
					}
				}
			}
			if (options.threads < 1 || options.rate < options.threads || options.records < 1 || options.rounds < 1) {
				throw new IllegalArgumentException(
						"Need at least one thread, one record, one round and a rate of one per thread");
			}
			return options;
		}

	}

}
