package io.github.redislog.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogProperties;
import io.github.redislog.writer.RedisLogPublisher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivered rate against the ceiling, on one running starter and the Redis it writes to:
 * a warm-up, then rounds in which delivery and the ceiling alternate, so that a slow patch
 * of a shared machine hits both. In a round, {@code threads} threads, each in a user's
 * context, log records as fast as the starter takes them (an emitter pauses while the
 * queue is half full, so nothing is dropped and no CPU goes to records that are not
 * delivered); the rate is what Redis counted ({@code INFO commandstats}, two {@code XADD}
 * per record, summed over the servers) from the first log call to the last reply. The
 * ceiling replays the same command mix through {@link RespCeiling}.
 *
 * @author Redis Log contributors
 */
final class DeliveryRounds {

	private static final Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	private final RunningStarter starter;

	private final RedisProbes redis;

	private final RedisLogProperties properties;

	private final int threads;

	DeliveryRounds(RunningStarter starter, RedisProbes redis, int threads) {
		this.starter = starter;
		this.redis = redis;
		this.threads = threads;
		this.properties = starter.context().getBean(RedisLogProperties.class);
	}

	RedisLogProperties properties() {
		return this.properties;
	}

	String settings() {
		return String.format(Locale.ROOT,
				"redis=%s threads=%d batch-size=%d flush-interval=%s queue-capacity=%d pubsub=%s publisher=%s",
				this.starter.target().describe(), this.threads, this.properties.getBatchSize(),
				this.properties.getFlushInterval(), this.properties.getQueueCapacity(),
				this.properties.getPubsub().name().toLowerCase(Locale.ROOT),
				this.starter.context().getBean(RedisLogPublisher.class).getClass().getSimpleName());
	}

	/**
	 * Warm up, then alternate delivery and the ceiling, printing a line for each.
	 * @param label what the lines start with, to tell targets apart
	 * @param warmupRecords records per thread to warm up with
	 * @param records records per thread per round
	 * @param rounds how many rounds
	 * @param ceilingRecords records of the ceiling per round
	 * @return the rounds' figures
	 * @throws IOException if the ceiling's files cannot be written
	 * @throws InterruptedException if interrupted
	 */
	Rounds run(String label, long warmupRecords, long records, int rounds, long ceilingRecords)
			throws IOException, InterruptedException {
		awaitQuiet();
		System.out.println(label + "warmup:     " + deliver(warmupRecords));
		List<Delivery> deliveries = new ArrayList<>();
		List<Baseline> ceilings = new ArrayList<>();
		CommandMix mix = null;
		RespCeiling ceiling = null;
		try {
			for (int round = 1; round <= rounds; round++) {
				Delivery delivery = deliver(records);
				System.out.println(label + "delivered:  " + delivery);
				if (mix == null) {
					mix = commandMix();
					ceiling = RespCeiling.write("redis-cli --pipe", mix, ceilingRecords, this.starter.target(),
							this.redis, this.starter.target()::nodeOf);
				}
				Baseline baseline = ceiling.run();
				System.out.println(label + "ceiling:    " + baseline);
				deliveries.add(delivery);
				ceilings.add(baseline);
			}
		}
		finally {
			if (ceiling != null) {
				ceiling.close();
			}
		}
		return new Rounds(deliveries, ceilings, mix);
	}

	/**
	 * Log records from all threads as fast as the starter takes them and measure what Redis
	 * received.
	 * @param recordsPerThread records each thread logs
	 * @return the figures
	 * @throws InterruptedException if interrupted
	 */
	Delivery deliver(long recordsPerThread) throws InterruptedException {
		int highWater = Math.max(1, this.properties.getQueueCapacity() / 2);
		long xAdds = this.redis.calls("xadd");
		List<NodeLoad> loads = this.redis.loads();
		long connections = this.redis.connectionsReceived();
		long handled = handledRecords();
		Map<Long, Long> allocated = Measure.allocatedBytesByThread();
		long jvmCpu = Measure.processCpuNanos();
		long redisCpu = this.redis.cpuNanos();
		long machineCpu = Measure.machineCpuNanos();
		LongAdder emitterAllocated = new LongAdder();
		CountDownLatch go = new CountDownLatch(1);
		List<Thread> emitters = new ArrayList<>();
		for (int t = 0; t < this.threads; t++) {
			String customer = "customer-" + t;
			String username = CommandMix.username(t);
			emitters.add(Threads.start("load-" + t, () -> {
				Threads.await(go);
				long before = Measure.currentThreadAllocatedBytes();
				try (RedisLogContext.Scope scope = RedisLogContext.openUserContext(username)) {
					for (long i = 0; i < recordsPerThread; i++) {
						// Now and then: the queue's size takes its lock, as offer does. Half a
						// queue lasts tens of milliseconds: waking every 20 µs instead cost the
						// worker and Redis a share of the two cores they are measured on.
						while ((i & 63) == 0 && this.starter.queue().size() >= highWater) {
							LockSupport.parkNanos(1_000_000);
						}
						log.info("Order {} placed for {}", i, customer);
					}
				}
				emitterAllocated.add(Measure.currentThreadAllocatedBytes() - before);
			}));
		}
		long start = System.nanoTime();
		go.countDown();
		Threads.join(emitters);
		long target = handled + recordsPerThread * this.threads;
		Threads.awaitCondition("delivery of " + target + " records", () -> handledRecords() >= target);
		long elapsed = System.nanoTime() - start;
		long threadsAllocated = emitterAllocated.sum() + Measure.allocatedSince(allocated);
		long delivered = (this.redis.calls("xadd") - xAdds) / 2;
		return new Delivery(recordsPerThread * this.threads, delivered, this.starter.droppedRecords().total(), elapsed,
				this.redis.connectionsReceived() - connections, threadsAllocated, Measure.processCpuNanos() - jvmCpu,
				this.redis.cpuNanos() - redisCpu, Measure.machineCpuNanos() - machineCpu,
				NodeLoad.since(loads, this.redis.loads()));
	}

	/**
	 * Return the command mix of the delivered phases, with payloads read back from the
	 * global stream.
	 * @return the mix
	 */
	CommandMix commandMix() {
		List<byte[]> payloads = new ArrayList<>();
		for (byte[] payload : this.redis.ownerOf(globalStreamKey()).newestPayloads(globalStreamKey(), 1000)) {
			if (new String(payload, StandardCharsets.UTF_8).contains("Order ")) {
				payloads.add(payload);
			}
		}
		if (payloads.isEmpty()) {
			throw new IllegalStateException("No delivered payload found in " + globalStreamKey());
		}
		RedisLogProperties.Stream stream = this.properties.getStream();
		return new CommandMix(this.properties.getChannelPrefix(), this.properties.getPubsub(), this.threads, payloads,
				this.properties.getBatchSize(), stream.getMaxLength(), stream.getContextTtl().toSeconds(),
				stream.getGlobalTtl().toSeconds());
	}

	String globalStreamKey() {
		return "stream:" + this.properties.getChannelPrefix() + ":" + this.properties.getGlobalChannel();
	}

	/**
	 * Wait until the starter has handled all it was given and its queue is empty.
	 * @throws InterruptedException if interrupted
	 */
	void awaitQuiet() throws InterruptedException {
		long deadline = System.nanoTime() + Threads.TIMEOUT.toNanos();
		long handled;
		do {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("The starter did not settle");
			}
			handled = handledRecords();
			Thread.sleep(200);
		}
		while (handled != handledRecords() || this.starter.queue().size() > 0);
	}

	private long handledRecords() {
		return this.starter.worker().publishedCount() + this.starter.droppedRecords().total();
	}

	/**
	 * The figures of the rounds.
	 *
	 * @param deliveries the delivered phases
	 * @param ceilings the ceilings, one per round
	 * @param mix the command mix of the ceiling
	 */
	record Rounds(List<Delivery> deliveries, List<Baseline> ceilings, CommandMix mix) {

		double delivered() {
			return Measure.median(this.deliveries.stream().map(Delivery::perSecond).toList());
		}

		double ceiling() {
			return Measure.median(this.ceilings.stream().map(Baseline::perSecond).toList());
		}

		List<Double> ratios() {
			List<Double> ratios = new ArrayList<>();
			for (int i = 0; i < this.deliveries.size(); i++) {
				ratios.add(this.deliveries.get(i).perSecond() / this.ceilings.get(i).perSecond());
			}
			return ratios;
		}

		// The median of the per-round ratios: each compares with a ceiling of its own time.
		double ratio() {
			return Measure.median(ratios());
		}

		String ratiosText() {
			return ratios().stream().map((ratio) -> String.format(Locale.ROOT, "%.2f", ratio)).toList().toString();
		}

		long deliveredRecords() {
			return this.deliveries.stream().mapToLong(Delivery::delivered).sum();
		}

		// Each server's load over all delivered rounds.
		List<NodeLoad> nodes() {
			return NodeLoad.sum(this.deliveries.stream().map(Delivery::nodes).toList());
		}

		Delivery last() {
			return this.deliveries.get(this.deliveries.size() - 1);
		}

		// JVM CPU per delivered record over all rounds: the figure a busy neighbour moves least.
		double jvmMicrosPerRecord() {
			long cpu = this.deliveries.stream().mapToLong(Delivery::jvmCpuNanos).sum();
			long records = this.deliveries.stream().mapToLong(Delivery::delivered).sum();
			return cpu / 1e3 / Math.max(1, records);
		}

	}

}
