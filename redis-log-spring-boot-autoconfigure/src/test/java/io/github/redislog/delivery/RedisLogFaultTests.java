package io.github.redislog.delivery;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.test.BackendLogging;
import io.github.redislog.test.BackendLogging.TroubleReports;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import io.github.redislog.writer.DirectRedisLogPublisher;
import io.github.redislog.writer.RedisLogPublisher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.connection.RedisServerCommands;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault suite: the test's own {@code redis-server} is killed, paused, filled up or
 * never there while the application logs, and every record is still either delivered or
 * counted as dropped, without hurting the logging threads. Runs on the publisher that the
 * auto-configuration picks for a standalone Redis, the direct one.
 *
 * @see PipelinedPublisherFaultTests
 */
class RedisLogFaultTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.shop.CheckoutService");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m",
				"redis-log.stream.max-length=10000000", "spring.data.redis.timeout=10s")
		.withPropertyValues(publisherProperties());

	/**
	 * Return the properties that choose the publisher under test.
	 * @return the properties
	 */
	protected String[] publisherProperties() {
		return new String[0];
	}

	/**
	 * Return the type of the publisher under test.
	 * @return the type
	 */
	protected Class<? extends RedisLogPublisher> publisherType() {
		return DirectRedisLogPublisher.class;
	}

	@AfterEach
	void restoreServer() {
		redis.server().start();
		redis.template().execute((RedisCallback<Object>) (connection) -> {
			connection.serverCommands().setConfig("maxmemory", "0");
			connection.execute("CLIENT", "UNPAUSE".getBytes());
			return null;
		});
	}

	@Test
	void deliveryResumesAfterRedisIsKilledAndTheInvariantHoldsToTheRecord() {
		// A batch in flight when Redis dies waits for the command timeout: a few seconds, as
		// the README recommends, rather than the 10 s the other scenarios need.
		this.contextRunner.withPropertyValues("redis-log.queue-capacity=200000", "spring.data.redis.timeout=2s")
			.run((context) -> {
				assertThat(context).getBean(RedisLogPublisher.class).isInstanceOf(publisherType());
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				RedisWriteStatus writeStatus = context.getBean(RedisWriteStatus.class);
				try (LoggingThreads threads = LoggingThreads.start(4, Duration.ofMillis(1))) {
					await().until(() -> counters.publishedCount() > 1000);
					redis.server().kill();
					await().until(() -> writeStatus.failingSince() != null);
					// Counted only now: a batch the killed server acknowledged may be counted just
					// after the kill, but none can succeed once the worker has seen the failure.
					long publishedBeforeRestart = counters.publishedCount();
					long offeredWhileDown = counters.offeredCount();
					await().until(() -> counters.offeredCount() > offeredWhileDown + 1000);
					Instant restarted = Instant.now();
					redis.server().start();
					await("delivery resumes by itself").atMost(Duration.ofSeconds(5))
						.until(() -> writeStatus.lastSuccess() != null && writeStatus.lastSuccess().isAfter(restarted));
					long publishedAfterRestart = counters.publishedCount();
					await().until(() -> counters.publishedCount() > publishedAfterRestart + 1000);
					threads.close();
					awaitQuiet(counters);
					assertThat(threads.calls()).isEqualTo(counters.offeredCount());
					assertThat(counters.dropped().total()).isZero();
					// The killed server kept nothing: the new one holds exactly what was
					// published since.
					assertThat(recordsInGlobalStream()).isEqualTo(counters.publishedCount() - publishedBeforeRestart);
				}
			});
	}

	@Test
	void writePauseLosesNothingAndBlocksNoCaller() {
		this.contextRunner.withPropertyValues("redis-log.queue-capacity=100000").run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			LogRecordQueue queue = context.getBean(LogRecordQueue.class);
			try (LoggingThreads threads = LoggingThreads.start(4, Duration.ofMillis(2))) {
				await().until(() -> counters.publishedCount() > 500);
				pauseWrites(Duration.ofSeconds(5));
				long callsWhenPaused = threads.calls();
				// The loggers keep going while Redis holds every write.
				await().until(() -> queue.size() > 2000 && threads.calls() > callsWhenPaused + 2000);
				threads.close();
				awaitQuiet(counters);
				assertThat(counters.dropped().total()).isZero();
				assertThat(counters.publishedCount()).isEqualTo(threads.calls());
				assertThat(recordsInGlobalStream()).isEqualTo(threads.calls());
			}
		});
	}

	@Test
	void redisOutOfMemoryIsCountedAsDroppedAndRecoveryFollowsWhenMemoryIsFreed() {
		this.contextRunner.withPropertyValues("redis-log.queue-capacity=100").run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			RedisWriteStatus writeStatus = context.getBean(RedisWriteStatus.class);
			setMaxMemory(usedMemory() + 256 * 1024);
			String kilobyte = "x".repeat(1024);
			await().until(() -> {
				for (int i = 0; i < 50; i++) {
					log.info("filling {}", kilobyte);
				}
				return writeStatus.failingSince() != null;
			});
			assertThat(writeStatus.lastError()).contains("OOM");
			long droppedBefore = counters.dropped().count(DropReason.QUEUE_FULL);
			// Each attempt may still get a few entries in, as memory moves: log faster than that.
			await().until(() -> {
				for (int i = 0; i < 50; i++) {
					log.info("filling {}", kilobyte);
				}
				return counters.dropped().count(DropReason.QUEUE_FULL) > droppedBefore;
			});
			setMaxMemory(0);
			await().until(() -> writeStatus.failingSince() == null && counters.inFlight() == 0);
			assertThat(counters.offeredCount())
				.isEqualTo(counters.publishedCount() + counters.dropped().count(DropReason.QUEUE_FULL));
			log.info("after recovery");
			await().untilAsserted(() -> assertThat(this.streams.messages(globalStream())).endsWith("after recovery"));
		});
		assertThat(this.streams.payloads(globalStream()))
			.filteredOn((payload) -> "io.github.redislog".equals(payload.get("logger")))
			.isNotEmpty()
			.allSatisfy((payload) -> assertThat(payload).containsEntry("level", "WARN")
				.extractingByKey("message")
				.asString()
				.matches("\\d+ log records dropped \\(queue_full\\) between .+ and .+"));
	}

	@Test
	void anOutageAcrossAHundredThousandJobsKeepsDropTrackingSmall() {
		this.contextRunner.withPropertyValues("redis-log.queue-capacity=100", "spring.data.redis.timeout=2s")
			.run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				log.info("before the outage");
				await().until(() -> counters.publishedCount() == 1);
				redis.server().stop();
				long heapBefore = heapAfterGc();
				for (int i = 0; i < 100_000; i++) {
					try (MDC.MDCCloseable job = MDC.putCloseable(RedisLogContext.MDC_KEY, "job_" + i)) {
						log.info("step of job {}", i);
					}
				}
				long heapDuring = heapAfterGc();
				System.out.printf("Outage across 100,000 job ids: %d open drop gaps, heap after GC %+d KB%n",
						counters.dropped().openGaps(), (heapDuring - heapBefore) / 1024);
				assertThat(counters.dropped().openGaps()).isLessThanOrEqualTo(DroppedRecords.DEFAULT_MAX_TRACKED_CONTEXTS + 1);
				redis.server().start();
				awaitQuiet(counters);
				assertThat(counters.offeredCount()).isEqualTo(100_001)
					.isEqualTo(counters.publishedCount() + counters.dropped().total());
				assertThat(counters.dropped().total()).isEqualTo(counters.dropped().count(DropReason.QUEUE_FULL))
					.isGreaterThan(99_000);
			});
		assertThat(this.streams.messages(globalStream()))
			.anySatisfy((note) -> assertThat(note).matches("\\d+ log records of other contexts dropped \\(queue_full\\) .+"));
	}

	@Test
	void applicationStartsAndServesWhenRedisIsNeverReachable() {
		String unreachable = "spring.data.redis.port=" + freePortWithNothingOnIt();
		this.contextRunner
			.withPropertyValues(unreachable, "spring.data.redis.timeout=500ms", "redis-log.shutdown-timeout=1s")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				for (int i = 0; i < 100; i++) {
					log.info("nobody listens {}", i);
				}
				assertThat(counters.offeredCount()).isEqualTo(100);
				await().until(() -> context.getBean(RedisWriteStatus.class).failingSince() != null);
				closeAndAwaitEveryRecordAccountedFor(context, counters, Duration.ofSeconds(5));
				assertThat(counters.publishedCount()).isZero();
				assertThat(counters.dropped().total()).isEqualTo(100);
			});
	}

	@Test
	void shutdownEndsWithinItsTimeoutWhenRedisHangsAndReportsWhatItCouldNotDeliver() {
		TroubleReports reports = BackendLogging.recordTroubleReports();
		this.contextRunner.withPropertyValues("redis-log.shutdown-timeout=1s", "redis-log.queue-capacity=1000")
			.run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				log.info("warm up");
				await().until(() -> counters.publishedCount() == 1);
				pauseAll(Duration.ofSeconds(20));
				for (int i = 0; i < 5000; i++) {
					log.info("queued {}", i);
				}
				long closing = System.nanoTime();
				context.close();
				assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(Duration.ofSeconds(5));
				assertThat(counters.dropped().count(DropReason.QUEUE_FULL)).isPositive();
				assertThat(counters.dropped().count(DropReason.SHUTDOWN)).isPositive();
				assertThat(counters.inFlight()).isLessThanOrEqualTo(100);
			});
		try (reports) {
			assertThat(reports.messages())
				.anySatisfy((message) -> assertThat(message).contains("did not finish within the shutdown timeout"));
		}
	}

	@Test
	void overloadKeepsTheQueueWithinItsByteBoundAndCountsEveryDrop() {
		this.contextRunner.withPropertyValues("redis-log.queue-max-bytes=256KB").run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			LogRecordQueue queue = context.getBean(LogRecordQueue.class);
			AtomicLong peakBytes = new AtomicLong();
			try (LoggingThreads threads = LoggingThreads.start(8, Duration.ZERO)) {
				await().atMost(Duration.ofSeconds(60)).until(() -> {
					peakBytes.accumulateAndGet(queue.bytes(), Math::max);
					return counters.dropped().count(DropReason.QUEUE_FULL) > 10_000 && counters.publishedCount() > 1_000;
				});
				threads.close();
				awaitQuiet(counters);
				assertThat(peakBytes.get()).isLessThanOrEqualTo(256 * 1024);
				assertThat(counters.offeredCount()).isEqualTo(threads.calls());
				assertThat(counters.publishedCount() + counters.dropped().count(DropReason.QUEUE_FULL))
					.isEqualTo(threads.calls());
				assertThat(recordsInGlobalStream()).isEqualTo(counters.publishedCount());
			}
		});
	}

	private void closeAndAwaitEveryRecordAccountedFor(AssertableApplicationContext context, DeliveryCounters counters,
			Duration within) {
		long closing = System.nanoTime();
		context.close();
		assertThat(Duration.ofNanos(System.nanoTime() - closing)).isLessThan(within);
		assertThat(counters.inFlight()).isZero();
	}

	private static long heapAfterGc() {
		System.gc();
		MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
		return heap.getUsed();
	}

	private void awaitQuiet(DeliveryCounters counters) {
		await().atMost(Duration.ofSeconds(60)).until(() -> counters.inFlight() == 0);
	}

	private long recordsInGlobalStream() {
		return this.streams.payloads(globalStream())
			.stream()
			.filter((payload) -> !"io.github.redislog".equals(payload.get("logger")))
			.count();
	}

	private String globalStream() {
		return "stream:" + this.prefix + ":global";
	}

	private static void pauseWrites(Duration duration) {
		clientPause(duration, "WRITE");
	}

	private static void pauseAll(Duration duration) {
		clientPause(duration, "ALL");
	}

	private static void clientPause(Duration duration, String mode) {
		redis.template()
			.execute((RedisCallback<Object>) (connection) -> connection.execute("CLIENT", "PAUSE".getBytes(),
					String.valueOf(duration.toMillis()).getBytes(), mode.getBytes()));
	}

	private static long usedMemory() {
		Properties memory = redis.template()
			.execute((RedisCallback<Properties>) (connection) -> connection.serverCommands().info("memory"));
		return Long.parseLong(memory.getProperty("used_memory"));
	}

	private static void setMaxMemory(long bytes) {
		redis.template().execute((RedisCallback<Object>) (connection) -> {
			RedisServerCommands server = connection.serverCommands();
			server.setConfig("maxmemory-policy", "noeviction");
			server.setConfig("maxmemory", String.valueOf(bytes));
			return null;
		});
	}

	private static int freePortWithNothingOnIt() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/**
	 * Threads that log steadily until closed, counting their calls.
	 */
	static final class LoggingThreads implements AutoCloseable {

		private final AtomicBoolean running = new AtomicBoolean(true);

		private final AtomicLong calls = new AtomicLong();

		private final List<Thread> threads = new ArrayList<>();

		static LoggingThreads start(int count, Duration pause) {
			LoggingThreads threads = new LoggingThreads();
			for (int i = 0; i < count; i++) {
				Thread thread = new Thread(() -> threads.logUntilClosed(pause), "logger-" + i);
				threads.threads.add(thread);
				thread.start();
			}
			return threads;
		}

		private void logUntilClosed(Duration pause) {
			long n = 0;
			while (this.running.get()) {
				log.info("record {} of {}", n++, Thread.currentThread().getName());
				this.calls.incrementAndGet();
				if (!pause.isZero()) {
					LockSupport.parkNanos(pause.toNanos());
				}
			}
		}

		long calls() {
			return this.calls.get();
		}

		@Override
		public void close() {
			this.running.set(false);
			for (Thread thread : this.threads) {
				try {
					thread.join(TimeUnit.SECONDS.toMillis(10));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

	}

}
