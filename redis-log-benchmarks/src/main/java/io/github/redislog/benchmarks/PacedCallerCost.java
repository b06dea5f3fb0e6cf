package io.github.redislog.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.github.redislog.RedisLogContext;
import org.slf4j.LoggerFactory;

/**
 * What a log call costs a thread that logs at a steady rate, as a request thread of a web
 * application does, rather than in a tight loop: its caches are cold and whatever a call
 * wakes is asleep. Per rate ({@code --rates}, records per second in all) and number of
 * threads ({@code --thread-counts}), three appenders take turns for {@code --rounds}
 * rounds of {@code --paced-seconds} each, the first of a round rotating: the starter's (its
 * auto-configuration, writing to a {@code redis-server} of its own), Logback's
 * {@link AsyncAppender} ({@code neverBlock=true} in front of an appender that only counts)
 * and the floor of any appender that hands records to another thread (one that only
 * prepares the event for deferred processing: formats the message, reads the thread name
 * and the MDC). Every call is timed with {@link System#nanoTime()}. A thread parks between
 * calls when the next one is more than {@value #SPIN_BELOW_NANOS} ns away, and otherwise
 * spins, yielding its core to any other thread that can run: four threads spinning on two
 * cores would leave none to the worker and Redis, and the starter would drop most of their
 * records instead of measuring the cost of accepted ones. A round of each at the highest
 * rate and thread count comes first and is not counted: at 1,000 records/s a round makes
 * too few calls for the JIT to compile the logging code, and whichever ran first would pay
 * for compiling what all of them share.
 * <p>
 * It ends with one line per rate and thread count:
 * <pre>
 * RESULT rate=10000 threads=1 redis_p50_ns=... redis_p99_ns=... async_p50_ns=... async_p99_ns=... floor_p50_ns=... floor_p99_ns=... p50_ratio=0.xx p99_ratio=0.xx
 * </pre>
 * The ratios are the starter's percentiles over {@code AsyncAppender}'s, each the median
 * over the rounds.
 *
 * @author Redis Log contributors
 */
public final class PacedCallerCost {

	private static final org.slf4j.Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	// parkNanos overshoots by tens of microseconds: below this, the thread spins (yielding) instead.
	private static final long SPIN_BELOW_NANOS = 200_000;

	private final List<Integer> rates;

	private final List<Integer> threadCounts;

	private final int rounds;

	private final int pacedSeconds;

	private final List<String> springArguments;

	private PacedCallerCost(List<Integer> rates, List<Integer> threadCounts, int rounds, int pacedSeconds,
			List<String> springArguments) {
		this.rates = rates;
		this.threadCounts = threadCounts;
		this.rounds = rounds;
		this.pacedSeconds = pacedSeconds;
		this.springArguments = springArguments;
	}

	public static void main(String[] args) throws Exception {
		ToolArguments arguments = ToolArguments.parse(args,
				Set.of("rates", "thread-counts", "rounds", "paced-seconds"));
		new PacedCallerCost(arguments.integers("rates", List.of(1_000, 10_000, 100_000)),
				arguments.integers("thread-counts", List.of(1, 4)), arguments.intValue("rounds", 3),
				arguments.intValue("paced-seconds", 4), arguments.springArguments())
			.run();
	}

	private void run() throws InterruptedException {
		List<Contender> contenders = List.of(this::measureStarter, this::measureAsyncAppender, this::measureFloor);
		System.out.println("warm-up, not counted:");
		for (Contender contender : contenders) {
			contender.measure(Collections.max(this.rates), Collections.max(this.threadCounts));
		}
		List<String> results = new ArrayList<>();
		for (int rate : this.rates) {
			for (int threads : this.threadCounts) {
				List<List<Percentiles>> measured = contenders.stream()
					.<List<Percentiles>>map((contender) -> new ArrayList<>())
					.toList();
				for (int round = 0; round < this.rounds; round++) {
					for (int turn = 0; turn < contenders.size(); turn++) {
						int next = (round + turn) % contenders.size();
						measured.get(next).add(contenders.get(next).measure(rate, threads));
					}
				}
				results.add(result(rate, threads, measured.get(0), measured.get(1), measured.get(2)));
			}
		}
		results.forEach(System.out::println);
	}

	private Percentiles measureStarter(int rate, int threads) throws InterruptedException {
		try (RunningStarter starter = RunningStarter.start(new Class<?>[] { CallerCostBenchmark.QuietTroubleReporter.class },
				this.springArguments.toArray(String[]::new))) {
			Percentiles percentiles = pace(rate, threads);
			System.out.printf(Locale.ROOT, "rate=%d threads=%d appender=redis %s published=%d dropped=%d%n", rate,
					threads, percentiles, starter.worker().publishedCount(), starter.droppedRecords().total());
			return percentiles;
		}
	}

	private Percentiles measureAsyncAppender(int rate, int threads) throws InterruptedException {
		try (AsyncAppenderOnRoot async = AsyncAppenderOnRoot.attach(new CallerCostBenchmark.CountingAppender())) {
			Percentiles percentiles = pace(rate, threads);
			System.out.printf(Locale.ROOT, "rate=%d threads=%d appender=async %s%n", rate, threads, percentiles);
			return percentiles;
		}
	}

	// What any appender that hands records to another thread costs at least: Logback's event,
	// and the message formatted with its arguments, the thread name and the MDC read on the
	// logging thread.
	private Percentiles measureFloor(int rate, int threads) throws InterruptedException {
		Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
		PreparingAppender floor = new PreparingAppender();
		floor.setContext(root.getLoggerContext());
		floor.start();
		root.addAppender(floor);
		try {
			Percentiles percentiles = pace(rate, threads);
			System.out.printf(Locale.ROOT, "rate=%d threads=%d appender=floor %s%n", rate, threads, percentiles);
			return percentiles;
		}
		finally {
			root.detachAppender(floor);
			floor.stop();
		}
	}

	// Each thread logs rate / threads records per second, in a user's context, timing each call.
	private Percentiles pace(int rate, int threads) throws InterruptedException {
		long interval = 1_000_000_000L * threads / rate;
		int calls = (int) ((long) rate * this.pacedSeconds / threads);
		long[][] costs = new long[threads][calls];
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> callers = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			long[] mine = costs[t];
			String username = "paced-" + t;
			callers.add(Threads.start("paced-" + t, () -> {
				Threads.await(go);
				try (RedisLogContext.Scope scope = RedisLogContext.openUserContext(username)) {
					long next = System.nanoTime();
					for (int i = 0; i < mine.length; i++) {
						awaitUntil(next);
						long start = System.nanoTime();
						log.info("Order {} placed", i);
						mine[i] = System.nanoTime() - start;
						next += interval;
					}
				}
			}));
		}
		go.countDown();
		Threads.join(callers);
		return Percentiles.of(costs);
	}

	private static void awaitUntil(long deadline) {
		long left;
		while ((left = deadline - System.nanoTime()) > 0) {
			if (left > SPIN_BELOW_NANOS) {
				LockSupport.parkNanos(left - SPIN_BELOW_NANOS / 2);
			}
			else {
				Thread.yield();
			}
		}
	}

	private static String result(int rate, int threads, List<Percentiles> redis, List<Percentiles> async,
			List<Percentiles> floor) {
		Percentiles ours = Percentiles.median(redis);
		Percentiles theirs = Percentiles.median(async);
		Percentiles least = Percentiles.median(floor);
		return String.format(Locale.ROOT,
				"RESULT rate=%d threads=%d redis_p50_ns=%.0f redis_p99_ns=%.0f async_p50_ns=%.0f async_p99_ns=%.0f "
						+ "floor_p50_ns=%.0f floor_p99_ns=%.0f p50_ratio=%.2f p99_ratio=%.2f",
				rate, threads, ours.p50(), ours.p99(), theirs.p50(), theirs.p99(), least.p50(), least.p99(),
				ours.p50() / theirs.p50(), ours.p99() / theirs.p99());
	}

	/**
	 * Measures one appender's calls at a rate from a number of threads.
	 */
	@FunctionalInterface
	private interface Contender {

		Percentiles measure(int rate, int threads) throws InterruptedException;

	}

	/**
	 * Prepares each event for deferred processing, as an appender that hands it to another
	 * thread must, and does nothing else.
	 */
	private static final class PreparingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

		@Override
		protected void append(ILoggingEvent event) {
			event.prepareForDeferredProcessing();
		}

	}

	/**
	 * The 50th and 99th percentile of the calls' cost.
	 *
	 * @param p50 the median, in nanoseconds
	 * @param p99 the 99th percentile, in nanoseconds
	 */
	record Percentiles(double p50, double p99) {

		static Percentiles median(List<Percentiles> rounds) {
			return new Percentiles(Measure.median(rounds.stream().map(Percentiles::p50).toList()),
					Measure.median(rounds.stream().map(Percentiles::p99).toList()));
		}

		static Percentiles of(long[][] costs) {
			long[] all = Arrays.stream(costs).flatMapToLong(Arrays::stream).sorted().toArray();
			return new Percentiles(all[all.length / 2], all[(int) (all.length * 0.99)]);
		}

		@Override
		public String toString() {
			return String.format(Locale.ROOT, "p50_ns=%.0f p99_ns=%.0f", this.p50, this.p99);
		}

	}

}
