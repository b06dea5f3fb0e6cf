package io.github.redislog.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import io.github.redislog.RedisLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two phases the load tool's paced emitters never reach, each against the Redis ceiling of
 * the same run ({@code redis-cli --pipe} of the same command mix):
 * <ul>
 * <li><b>Burst.</b> {@code --threads} request threads (default 3) log {@code --records}
 * each as fast as they can into a queue large enough for all of them: the delivered rate
 * from the first log call to the last reply, split into the rate while the threads log and
 * the rate of the backlog after them, who was busy in each part (the worker thread, the
 * whole JVM, Redis, the collectors' pauses), the queue's peak, and the heap after a full
 * collection before and after the burst.</li>
 * <li><b>Overload.</b> The same threads log as fast as they can for
 * {@code --overload-seconds} into the default queue: the delivered rate while the excess is
 * dropped and counted, who was busy, and what a log call costs the threads (their CPU
 * time per call), against Logback's {@link AsyncAppender} ({@code neverBlock=true}) in
 * front of an appender that takes as long per record as Redis did at the ceiling, under
 * the same overload.</li>
 * </ul>
 * Any other {@code --name=value} is a Spring property. It ends with:
 * <pre>
 * RESULT burst_delivered_per_s=... ceiling_per_s=... burst_ratio=0.xx heap_before_mb=... heap_after_mb=... overload_delivered_per_s=... overload_ratio=0.xx overload_call_ns=... async_call_ns=... call_ratio=...
 * </pre>
 *
 * @author Redis Log contributors
 */
public final class BurstAndOverloadTool {

	private static final Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	private final int threads;

	private final long records;

	private final int overloadSeconds;

	private final long ceilingRecords;

	private final List<String> springArguments;

	private BurstAndOverloadTool(ToolArguments arguments) {
		this.threads = arguments.intValue("threads", 3);
		this.records = arguments.longValue("records", 300_000);
		this.overloadSeconds = arguments.intValue("overload-seconds", 5);
		this.ceilingRecords = arguments.longValue("ceiling-records", 300_000);
		this.springArguments = arguments.springArguments();
	}

	public static void main(String[] args) throws Exception {
		new BurstAndOverloadTool(
				ToolArguments.parse(args, Set.of("threads", "records", "overload-seconds", "ceiling-records")))
			.run();
	}

	private void run() throws Exception {
		List<String> burstArguments = new ArrayList<>(this.springArguments);
		burstArguments.add("--redis-log.queue-capacity=" + (this.threads * this.records + 10_000));
		burstArguments.add("--redis-log.queue-max-bytes=4GB");
		double ceiling;
		double burst;
		long heapBefore;
		long heapAfter;
		try (RunningStarter starter = RunningStarter.start(burstArguments.toArray(String[]::new));
				RedisProbes redis = new RedisProbes(starter.target())) {
			DeliveryRounds rounds = new DeliveryRounds(starter, redis, this.threads);
			System.out.println("warmup:     " + rounds.deliver(50_000));
			heapBefore = usedHeapAfterCollection();
			AtomicLong peakQueued = new AtomicLong();
			long xAdds = redis.calls("xadd");
			long published = starter.worker().publishedCount();
			CpuUse started = CpuUse.now(redis);
			long start = started.nanoTime();
			logFlatOut(this.records, Long.MAX_VALUE, new LongAdder(), () -> peakQueued
				.accumulateAndGet(starter.queue().size(), Math::max));
			CpuUse stoppedLogging = CpuUse.now(redis);
			long logged = stoppedLogging.nanoTime();
			long deliveredWhileLogging = (redis.calls("xadd") - xAdds) / 2;
			// Counted by the worker: polling Redis for its counts would take CPU from it.
			long target = published + this.threads * this.records;
			Threads.awaitCondition("the burst's delivery", () -> starter.worker().publishedCount() >= target);
			CpuUse drained = CpuUse.now(redis);
			long inRedis = (redis.calls("xadd") - xAdds) / 2;
			if (inRedis < this.threads * this.records) {
				throw new IllegalStateException("Redis holds " + inRedis + " of the burst's records");
			}
			long delivered = drained.nanoTime();
			burst = Measure.perSecond(this.threads * this.records, delivered - start);
			long rest = this.threads * this.records - deliveredWhileLogging;
			heapAfter = usedHeapAfterCollection();
			try (RespCeiling pipe = RespCeiling.write("redis-cli --pipe", rounds.commandMix(), this.ceilingRecords,
					starter.target(), redis, starter.target()::nodeOf)) {
				Baseline baseline = pipe.run();
				System.out.println("ceiling:    " + baseline);
				ceiling = baseline.perSecond();
			}
			System.out.printf(Locale.ROOT,
					"burst:      records=%d delivered_per_s=%.0f peak_queued=%d dropped=%d heap_before_mb=%.1f "
							+ "heap_after_mb=%.1f logging_s=%.2f delivered_while_logging_per_s=%.0f "
							+ "delivered_after_per_s=%.0f%n",
					this.threads * this.records, burst, peakQueued.get(), starter.droppedRecords().total(),
					heapBefore / 1e6, heapAfter / 1e6, (logged - start) / 1e9,
					Measure.perSecond(deliveredWhileLogging, logged - start), Measure.perSecond(rest, delivered - logged));
			System.out.println("  logging:  " + stoppedLogging.since(started));
			System.out.println("  drain:    " + drained.since(stoppedLogging));
		}
		double overloadDelivered;
		double overloadCallNanos;
		try (RunningStarter starter = RunningStarter.start(this.springArguments.toArray(String[]::new));
				RedisProbes redis = new RedisProbes(starter.target())) {
			new DeliveryRounds(starter, redis, this.threads).deliver(50_000);
			long xAdds = redis.calls("xadd");
			CpuUse started = CpuUse.now(redis);
			LongAdder callerCpu = new LongAdder();
			long calls = logFlatOut(Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(this.overloadSeconds), callerCpu, () -> {
			});
			CpuUse stopped = CpuUse.now(redis);
			overloadDelivered = Measure.perSecond((redis.calls("xadd") - xAdds) / 2,
					stopped.nanoTime() - started.nanoTime());
			overloadCallNanos = (double) callerCpu.sum() / calls;
			System.out.printf(Locale.ROOT,
					"overload:   calls=%d delivered_per_s=%.0f dropped=%d caller_cpu_ns_per_call=%.0f%n", calls,
					overloadDelivered, starter.droppedRecords().total(), overloadCallNanos);
			System.out.println("  logging:  " + stopped.since(started));
		}
		double asyncCallNanos = asyncAppenderUnderOverload(ceiling);
		System.out.printf(Locale.ROOT,
				"RESULT burst_delivered_per_s=%.0f ceiling_per_s=%.0f burst_ratio=%.2f heap_before_mb=%.1f "
						+ "heap_after_mb=%.1f overload_delivered_per_s=%.0f overload_ratio=%.2f overload_call_ns=%.0f "
						+ "async_call_ns=%.0f call_ratio=%.2f%n",
				burst, ceiling, burst / ceiling, heapBefore / 1e6, heapAfter / 1e6, overloadDelivered,
				overloadDelivered / ceiling, overloadCallNanos, asyncCallNanos, overloadCallNanos / asyncCallNanos);
	}

	// AsyncAppender in front of an appender as slow per record as Redis was at the ceiling.
	private double asyncAppenderUnderOverload(double ceilingPerSecond) throws InterruptedException {
		RedisPacedAppender paced = new RedisPacedAppender((long) (1e9 / ceilingPerSecond));
		try (AsyncAppenderOnRoot async = AsyncAppenderOnRoot.attach(paced)) {
			LongAdder callerCpu = new LongAdder();
			long calls = logFlatOut(Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(this.overloadSeconds), callerCpu, () -> {
			});
			double callNanos = (double) callerCpu.sum() / calls;
			System.out.printf(Locale.ROOT, "async:      calls=%d appended=%d caller_cpu_ns_per_call=%.0f%n", calls,
					paced.appended, callNanos);
			return callNanos;
		}
	}

	// Each thread logs up to the given records or for the given time, as fast as it can, in
	// a user's context; returns the calls made and adds the threads' CPU time.
	private long logFlatOut(long recordsPerThread, long nanos, LongAdder callerCpu, Runnable sample)
			throws InterruptedException {
		CountDownLatch go = new CountDownLatch(1);
		LongAdder calls = new LongAdder();
		List<Thread> emitters = new ArrayList<>();
		long[] deadline = new long[1];
		for (int t = 0; t < this.threads; t++) {
			String username = CommandMix.username(t);
			String customer = "customer-" + t;
			emitters.add(Threads.start("burst-" + t, () -> {
				Threads.await(go);
				long cpu = ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
				long i = 0;
				try (RedisLogContext.Scope scope = RedisLogContext.openUserContext(username)) {
					for (; i < recordsPerThread && ((i & 1023) != 0 || System.nanoTime() - deadline[0] < 0); i++) {
						log.info("Order {} placed for {}", i, customer);
						if ((i & 4095) == 0) {
							sample.run();
						}
					}
				}
				callerCpu.add(ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() - cpu);
				calls.add(i);
			}));
		}
		deadline[0] = (nanos == Long.MAX_VALUE) ? Long.MAX_VALUE : System.nanoTime() + nanos;
		go.countDown();
		Threads.join(emitters);
		return calls.sum();
	}

	private static long usedHeapAfterCollection() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
	}

	/**
	 * Takes as long per record as Redis takes at its ceiling, spinning, like a worker
	 * bound by Redis.
	 */
	static final class RedisPacedAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

		private final long nanosPerRecord;

		// Only the AsyncAppender's worker thread appends.
		volatile long appended;

		RedisPacedAppender(long nanosPerRecord) {
			this.nanosPerRecord = nanosPerRecord;
		}

		@Override
		protected void append(ILoggingEvent event) {
			long until = System.nanoTime() + this.nanosPerRecord;
			while (System.nanoTime() - until < 0) {
				Thread.onSpinWait();
			}
			this.appended++;
		}

	}

}
