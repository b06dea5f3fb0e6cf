package io.github.redislog.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redislog.RedisLogContext;
import io.github.redislog.support.TroubleReporter;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Nanoseconds a thread spends in {@code log.info("Order {} placed", orderId)}, in a user's
 * context, with the root logger holding:
 * <ul>
 * <li>{@code none}: no appender (what Logback costs by itself);</li>
 * <li>{@code async}: Logback's {@link AsyncAppender} with {@code neverBlock=true} (its
 * defaults otherwise) in front of an appender that only counts;</li>
 * <li>{@code redis}: the starter's appender, from its auto-configuration, while its worker
 * writes to a {@code redis-server} of the benchmark's own.</li>
 * </ul>
 * The callers log faster than any Redis accepts, so the starter's queue is full most of
 * the time and most records are dropped (counted): the figure is the caller's cost, not a
 * delivery rate. The tear down prints how many records got through.
 *
 * @author Redis Log contributors
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = { "-Xms1g", "-Xmx1g" })
@State(Scope.Benchmark)
public class CallerCostBenchmark {

	private static final Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	private static final AtomicLong calls = new AtomicLong();

	@Param({ "none", "async", "redis" })
	public String appender = "none";

	private @Nullable RunningStarter starter;

	private @Nullable AsyncAppenderOnRoot async;

	private @Nullable CountingAppender counting;

	@Setup(Level.Trial)
	public void attach() {
		calls.set(0);
		if ("redis".equals(this.appender)) {
			this.starter = RunningStarter.start(new Class<?>[] { QuietTroubleReporter.class });
		}
		else if ("async".equals(this.appender)) {
			this.counting = new CountingAppender();
			this.async = AsyncAppenderOnRoot.attach(this.counting);
		}
	}

	@TearDown(Level.Trial)
	public void detach() {
		if (this.starter != null) {
			long published = this.starter.worker().publishedCount();
			long dropped = this.starter.droppedRecords().total();
			this.starter.close();
			report(published, dropped);
		}
		if (this.async != null && this.counting != null) {
			this.async.close();
			report(this.counting.count, calls.get() - this.counting.count);
		}
	}

	private void report(long delivered, long dropped) {
		System.out.printf("%n# %s: %d log calls, %d delivered (%.1f%%), %d dropped%n", this.appender, calls.get(),
				delivered, 100.0 * delivered / Math.max(1, delivered + dropped), dropped);
	}

	@Benchmark
	@Threads(1)
	public void logInfo1Thread(Caller caller) {
		log.info("Order {} placed", caller.nextOrderId());
	}

	@Benchmark
	@Threads(4)
	public void logInfo4Threads(Caller caller) {
		log.info("Order {} placed", caller.nextOrderId());
	}

	/**
	 * A calling thread, in a user's context as in a web request.
	 */
	@State(Scope.Thread)
	public static class Caller {

		// Arguments made up front: boxing or formatting them is not what is measured.
		private final String[] orderIds = new String[16];

		private long next;

		private RedisLogContext.@Nullable Scope scope;

		@Setup(Level.Trial)
		public void enter(ThreadParams thread) {
			for (int i = 0; i < this.orderIds.length; i++) {
				this.orderIds[i] = String.valueOf(40_000 + i);
			}
			this.scope = RedisLogContext.openUserContext("bench-" + thread.getThreadIndex());
		}

		@TearDown(Level.Trial)
		public void leave() {
			calls.addAndGet(this.next);
			if (this.scope != null) {
				this.scope.close();
			}
		}

		String nextOrderId() {
			return this.orderIds[(int) (this.next++ & 15)];
		}

	}

	/**
	 * Stands in for the appender behind an {@link AsyncAppender}: it only counts.
	 */
	static final class CountingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {

		// Only the AsyncAppender's worker thread appends.
		volatile long count;

		@Override
		protected void append(ILoggingEvent event) {
			this.count++;
		}

	}

	/**
	 * A saturated queue drops most records and the default reporter prints every 1000th
	 * drop to the console; that would flood the benchmark's output, so this one only counts.
	 */
	@Configuration(proxyBeanMethods = false)
	static class QuietTroubleReporter {

		static final AtomicLong reports = new AtomicLong();

		@Bean
		TroubleReporter quietTroubleReporter() {
			return (message, cause) -> reports.incrementAndGet();
		}

	}

}
