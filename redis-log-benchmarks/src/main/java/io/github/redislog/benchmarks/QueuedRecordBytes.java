package io.github.redislog.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.LogRecordQueue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The heap a queued record holds, measured against the estimate that bounds the queue
 * ({@code redis-log.queue-max-bytes}). The application logs and delivers a warm-up, then
 * Redis is paused ({@code CLIENT PAUSE}) so that the worker's write waits, and
 * {@code --records} records are logged from {@code --threads} threads, each in a user's
 * context like the load tool's, with {@code --mdc-entries} MDC entries. The heap after a
 * full collection, before and after, gives the measured bytes per record; the queue's
 * {@link LogRecordQueue#bytes()} the estimated. The logging threads' own allocations
 * during the paused phase, divided by the records, give what a log call allocates on the
 * caller's side (Logback's event included). {@code --warm-ups} rounds of logging and delivery
 * come first, so that the capture is compiled as it runs in a service.
 * <p>
 * It ends with:
 * <pre>
 * RESULT queued=... measured_bytes_per_record=... estimated_bytes_per_record=... estimate_ratio=0.xx allocated_bytes_per_call=...
 * </pre>
 *
 * @author Redis Log contributors
 */
public final class QueuedRecordBytes {

	private static final Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	private static final long PAUSE_MILLIS = 30_000;

	private QueuedRecordBytes() {
	}

	public static void main(String[] args) throws Exception {
		ToolArguments arguments = ToolArguments.parse(args, Set.of("threads", "records", "mdc-entries", "warm-ups"));
		try (RunningStarter starter = RunningStarter.start(arguments.springArguments().toArray(String[]::new))) {
			measure(starter, arguments.intValue("threads", 4), arguments.intValue("records", 8_000),
					arguments.intValue("mdc-entries", 2), arguments.intValue("warm-ups", 1));
		}
	}

	private static void measure(RunningStarter starter, int threads, int records, int mdcEntries, int warmUps)
			throws InterruptedException {
		LogRecordQueue queue = starter.queue();
		for (int i = 0; i < warmUps; i++) {
			logFrom(threads, records, mdcEntries);
			Threads.awaitCondition("the warm-up's delivery", () -> queue.size() == 0 && queue.bytes() == 0);
		}
		RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", starter.target().ports().get(0)));
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			long before = usedHeapAfterCollection();
			connection.sync().clientPause(PAUSE_MILLIS);
			long allocated = logFrom(threads, records, mdcEntries);
			long estimated = queue.bytes();
			long after = usedHeapAfterCollection();
			connection.sync().dispatch(CommandType.CLIENT, new StatusOutput<>(StringCodec.UTF8),
					new CommandArgs<>(StringCodec.UTF8).add("UNPAUSE"));
			long queued = records - starter.droppedRecords().total();
			double measured = (double) (after - before) / queued;
			double estimate = (double) estimated / queued;
			System.out.printf(Locale.ROOT,
					"RESULT queued=%d measured_bytes_per_record=%.0f estimated_bytes_per_record=%.0f "
							+ "estimate_ratio=%.2f allocated_bytes_per_call=%.0f%n",
					queued, measured, estimate, estimate / measured, (double) allocated / records);
		}
		finally {
			client.shutdown();
		}
	}

	// Returns the bytes the logging threads allocated in their log calls.
	private static long logFrom(int threads, int records, int mdcEntries) throws InterruptedException {
		com.sun.management.ThreadMXBean threadBean = (com.sun.management.ThreadMXBean) ManagementFactory
			.getThreadMXBean();
		AtomicLong allocated = new AtomicLong();
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> emitters = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			String username = CommandMix.username(t);
			String customer = "customer-" + t;
			emitters.add(Threads.start("queued-" + t, () -> {
				Threads.await(go);
				for (int m = 0; m < mdcEntries; m++) {
					MDC.put("key" + m, "value-" + m + "-" + customer);
				}
				try (RedisLogContext.Scope scope = RedisLogContext.openUserContext(username)) {
					long start = threadBean.getCurrentThreadAllocatedBytes();
					for (int i = 0; i < records / threads; i++) {
						log.info("Order {} placed for {}", i, customer);
					}
					allocated.addAndGet(threadBean.getCurrentThreadAllocatedBytes() - start);
				}
				finally {
					MDC.clear();
				}
			}));
		}
		go.countDown();
		Threads.join(emitters);
		return allocated.get();
	}

	private static long usedHeapAfterCollection() {
		MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		return memory.getHeapMemoryUsage().getUsed();
	}

}
