package io.github.redislog.logback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import io.github.redislog.RedisLogContext;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DroppedGap;
import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.LogRecord;
import io.github.redislog.delivery.LogRecordQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogAppender}.
 */
class RedisLogAppenderTests {

	private final LoggerContext loggerContext = LogEventCaptureTests.createLoggerContext();

	private final PatternLayout layout = MessageLayout.create(this.loggerContext, "%m%n");

	private final List<String> reports = new ArrayList<>();

	private final DroppedRecords droppedRecords = new DroppedRecords((message, cause) -> this.reports.add(message));

	private final DeliveryCounters counters = new DeliveryCounters(this.droppedRecords);

	@AfterEach
	void stopLoggerContext() {
		this.loggerContext.stop();
	}

	@Test
	void queuesCapturedRecordOfEachLogCall() {
		LogRecordQueue queue = attach(100, 1_000);
		Logger logger = this.loggerContext.getLogger("com.example.Orders");
		logger.info("Order {} shipped", 42);
		logger.warn("Order {} late", 43);
		List<LogRecord> records = drain(queue);
		assertThat(records).extracting(LogRecord::message).containsExactly("Order 42 shipped", "Order 43 late");
		assertThat(records).extracting(LogRecord::level).containsExactly("INFO", "WARN");
		assertThat(records).extracting(LogRecord::logger).containsOnly("com.example.Orders");
		assertThat(records).extracting(LogRecord::thread).containsOnly(Thread.currentThread().getName());
		assertThat(this.droppedRecords.total()).isZero();
	}

	@Test
	void capturesContextFromMdcOfLoggingThread() {
		LogRecordQueue queue = attach(100, 1_000);
		Logger logger = this.loggerContext.getLogger("com.example.Orders");
		this.loggerContext.getMDCAdapter().put(RedisLogContext.MDC_KEY, "User.alice");
		this.loggerContext.getMDCAdapter().put("requestId", "r-1");
		try {
			logger.info("in context");
		}
		finally {
			this.loggerContext.getMDCAdapter().clear();
		}
		logger.info("outside");
		List<LogRecord> records = drain(queue);
		assertThat(records).hasSize(2);
		assertThat(records.get(0).contextId()).isEqualTo("User.alice");
		assertThat(LogEventCaptureTests.publishedMdc(records.get(0))).containsOnlyKeys("requestId");
		assertThat(records.get(1).contextId()).isNull();
		assertThat(records.get(1).mdc()).isEmpty();
	}

	@Test
	void keepsMdcAsItWasWhenLoggedWhileTheThreadChangesItLater() {
		LogRecordQueue queue = attach(100, 1_000);
		Logger logger = this.loggerContext.getLogger("com.example.Orders");
		this.loggerContext.getMDCAdapter().put("step", "1");
		try {
			logger.info("first step");
			this.loggerContext.getMDCAdapter().put("step", "2");
			this.loggerContext.getMDCAdapter().put("extra", "later");
			logger.info("second step");
		}
		finally {
			this.loggerContext.getMDCAdapter().clear();
		}
		assertThat(drain(queue)).extracting(LogRecord::mdc)
			.containsExactly(Map.of("step", "1"), Map.of("step", "2", "extra", "later"));
	}

	@Test
	void printsLocationOfTheLogCallAlthoughTheMessageIsLaidOutLater() throws Exception {
		LogRecordQueue queue = new LogRecordQueue(100, Long.MAX_VALUE, this.droppedRecords);
		appender(MessageLayout.create(this.loggerContext, "%M:%L %m"), queue, 1_000);
		int line = new Throwable().getStackTrace()[0].getLineNumber() + 1;
		this.loggerContext.getLogger("com.example.Orders").info("located");
		LogRecord record = drain(queue).get(0);
		assertThat(CompletableFuture.supplyAsync(record::message).get(10, TimeUnit.SECONDS))
			.isEqualTo("printsLocationOfTheLogCallAlthoughTheMessageIsLaidOutLater:" + line + " located");
	}

	@Test
	void truncatesMessagesLongerThanMax() {
		LogRecordQueue queue = attach(100, 10);
		this.loggerContext.getLogger("com.example.Orders").info("0123456789ABC");
		assertThat(drain(queue)).extracting(LogRecord::message)
			.containsExactly("0123456789... [truncated 3 characters]");
	}

	@ParameterizedTest
	@ValueSource(strings = { "io.lettuce.core.X", "io.lettuce", "io.netty.Y", "org.springframework.data.redis.Z",
			"reactor.netty.W", "reactor", "io.github.redislog.delivery.Q", "io.github.redislog.servlet",
			"io.github.redislog.capture.C", "io.github.redislog.writer.W", "io.github.redislog.wire.N",
			"io.github.redislog.support.S" })
	void ignoresRecordsOfRedisClientAndStarter(String loggerName) {
		LogRecordQueue queue = attach(100, 1_000);
		this.loggerContext.getLogger(loggerName).warn("not published");
		this.loggerContext.getLogger("com.example.Control").warn("published");
		assertThat(drain(queue)).extracting(LogRecord::logger).containsExactly("com.example.Control");
		assertThat(this.droppedRecords.total()).isZero();
	}

	@ParameterizedTest
	@ValueSource(strings = { "io.lettucex.Foo", "reactorish.Bar", "io.nettyx", "org.springframework.data.redisson.Foo",
			"org.springframework.data.Foo", "com.example.reactor.Bar", "io.github.redislogger.Foo",
			"io.github.redislog.sample.SampleJobs" })
	void publishesRecordsOfLoggersThatOnlyShareAPrefix(String loggerName) {
		LogRecordQueue queue = attach(100, 1_000);
		this.loggerContext.getLogger(loggerName).warn("published");
		assertThat(drain(queue)).extracting(LogRecord::logger).containsExactly(loggerName);
	}

	@Test
	void countsRecordsBeyondQueueCapacityExactly() {
		LogRecordQueue queue = attach(3, 1_000);
		Logger logger = this.loggerContext.getLogger("com.example.Orders");
		for (int i = 0; i < 10; i++) {
			logger.info("record {}", i);
		}
		assertThat(queue.size()).isEqualTo(3);
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isEqualTo(7);
		assertThat(this.droppedRecords.total()).isEqualTo(7);
		assertThat(this.counters.offeredCount()).isEqualTo(10);
		assertThat(this.counters.inFlight()).isEqualTo(3);
		assertThat(drain(queue)).extracting(LogRecord::message).containsExactly("record 0", "record 1", "record 2");
	}

	@Test
	void dropsRecordWithoutCapturingItWhileQueueIsAtCountBound() {
		LogRecordQueue queue = attach(1, 1_000);
		assertDroppedWithoutCapture(queue, 1);
	}

	@Test
	void dropsRecordWithoutCapturingItWhileQueueIsAtByteBound() {
		LogRecordQueue queue = new LogRecordQueue(100, 10_000, this.droppedRecords);
		appender(queue, 1_000);
		queue.offer(new LogRecord("fills the queue", "INFO", Instant.EPOCH, "com.example.Filler", "main", null, null,
				Map.of(), null, 10_000));
		assertDroppedWithoutCapture(queue, 0);
	}

	@Test
	void accountsForEveryRecordOfConcurrentThreadsWhileQueueFillsAndDrains() throws Exception {
		LogRecordQueue queue = attach(50, 1_000);
		int threads = 4;
		int recordsPerThread = 20_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads + 1);
		try {
			AtomicBoolean logging = new AtomicBoolean(true);
			Future<Long> consumer = executor.submit(() -> {
				long consumed = 0;
				List<LogRecord> batch = new ArrayList<>();
				while (logging.get() || queue.size() > 0) {
					LogRecord first = queue.poll(Duration.ofMillis(10));
					if (first != null) {
						batch.add(first);
						queue.drainTo(batch, 9);
						consumed += batch.size();
						queue.release(batch);
						batch.clear();
					}
				}
				return consumed;
			});
			List<Future<?>> loggers = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				Logger logger = this.loggerContext.getLogger("com.example.Orders" + t);
				loggers.add(executor.submit(() -> {
					for (int i = 0; i < recordsPerThread; i++) {
						logger.info("record {}", i);
					}
					return null;
				}));
			}
			for (Future<?> future : loggers) {
				future.get(30, TimeUnit.SECONDS);
			}
			logging.set(false);
			long consumed = consumer.get(30, TimeUnit.SECONDS);
			long dropped = this.droppedRecords.count(DropReason.QUEUE_FULL);
			assertThat(this.counters.offeredCount()).isEqualTo(threads * recordsPerThread);
			assertThat(consumed + dropped).isEqualTo(threads * recordsPerThread);
			assertThat(dropped).isPositive();
			assertThat(this.droppedRecords.total()).isEqualTo(dropped);
			assertThat(this.droppedRecords.takeGaps().stream().mapToLong(DroppedGap::records).sum())
				.isEqualTo(dropped);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void neverThrowsIntoCallerWhenQueueIsFull() {
		LogRecordQueue queue = attach(1, 1_000);
		Logger logger = this.loggerContext.getLogger("com.example.Orders");
		for (int i = 0; i < 1_000; i++) {
			logger.error("failure {}", i, new IllegalStateException("boom"));
		}
		assertThat(queue.size()).isOne();
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isEqualTo(999);
	}

	@Test
	void publishesNothingOnceStopped() {
		LogRecordQueue queue = new LogRecordQueue(100, Long.MAX_VALUE, this.droppedRecords);
		RedisLogAppender appender = appender(queue, 1_000);
		Logger logger = this.loggerContext.getLogger("com.example.Orders");
		logger.info("before stop");
		appender.stop();
		logger.info("after stop");
		assertThat(drain(queue)).extracting(LogRecord::message).containsExactly("before stop");
		assertThat(this.droppedRecords.total()).isZero();
	}

	@Test
	void isNamedForLogbackConfiguration() {
		RedisLogAppender appender = new RedisLogAppender(this.layout, 1_000,
				new LogRecordQueue(1, 1, this.droppedRecords), this.counters);
		assertThat(appender.getName()).isEqualTo("REDIS_LOG");
	}

	private void assertDroppedWithoutCapture(LogRecordQueue queue, int loggedBefore) {
		Logger logger = this.loggerContext.getLogger("com.example.Orders");
		AtomicInteger rendered = new AtomicInteger();
		Object argument = new Object() {
			@Override
			public String toString() {
				rendered.incrementAndGet();
				return "rendered";
			}
		};
		this.loggerContext.getMDCAdapter().put(RedisLogContext.MDC_KEY, "User.alice");
		try {
			for (int i = 0; i < loggedBefore; i++) {
				logger.info("fills the queue");
			}
			assertThat(queue.isFull()).isTrue();
			logger.info("dropped {}", argument);
			logger.info("dropped {}", argument);
		}
		finally {
			this.loggerContext.getMDCAdapter().clear();
		}
		assertThat(rendered).as("arguments rendered").hasValue(0);
		assertThat(this.counters.offeredCount()).isEqualTo(loggedBefore + 2);
		assertThat(this.droppedRecords.count(DropReason.QUEUE_FULL)).isEqualTo(2);
		assertThat(this.droppedRecords.takeGaps()).singleElement()
			.satisfies((gap) -> assertThat(gap.contextId()).isEqualTo("User.alice"))
			.satisfies((gap) -> assertThat(gap.records()).isEqualTo(2));
	}

	private LogRecordQueue attach(int capacity, int maxMessageLength) {
		LogRecordQueue queue = new LogRecordQueue(capacity, Long.MAX_VALUE, this.droppedRecords);
		appender(queue, maxMessageLength);
		return queue;
	}

	private RedisLogAppender appender(LogRecordQueue queue, int maxMessageLength) {
		return appender(this.layout, queue, maxMessageLength);
	}

	private RedisLogAppender appender(PatternLayout layout, LogRecordQueue queue, int maxMessageLength) {
		RedisLogAppender appender = new RedisLogAppender(layout, maxMessageLength, queue, this.counters);
		appender.setContext(this.loggerContext);
		appender.start();
		this.loggerContext.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(appender);
		return appender;
	}

	private static List<LogRecord> drain(LogRecordQueue queue) {
		List<LogRecord> records = new ArrayList<>();
		queue.drainTo(records, Integer.MAX_VALUE);
		return records;
	}

}
