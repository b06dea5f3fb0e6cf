package io.github.redislog.logback;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DropReason;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.test.BackendLogging;
import io.github.redislog.test.BackendLogging.TroubleReports;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import io.github.redislog.wire.ContextIdEncoder;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
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
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.domain.Range;
import org.springframework.data.redis.connection.stream.ByteRecord;
import org.springframework.data.redis.core.RedisCallback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Hostile input through the whole path, from the logging call to a real Redis: huge,
 * malformed and deceptive messages, arguments that throw, log or stall, pathological
 * exceptions and MDCs, context ids made of user text, and the Redis client's own loggers
 * turned up while Redis is down. Each record is either delivered as valid JSON or counted
 * as dropped with a reason, and nothing reaches the caller.
 */
class HostileInputTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.ownServer();

	private static final Logger log = LoggerFactory.getLogger("com.example.hostile.Input");

	private static final Logger nestedLog = LoggerFactory.getLogger("com.example.hostile.Nested");

	private static final int DEFAULT_MAX_MESSAGE_SIZE = 64 * 1024;

	// The longest truncation marker a test here can produce: "... [truncated 10485760 characters]".
	private static final int MAX_MARKER_LENGTH = 40;

	// The logger of the notes about dropped records that the worker writes into the streams.
	private static final String NOTE_LOGGER = "io.github.redislog";

	private static final List<String> REDIS_CLIENT_LOGGERS = List.of("io.lettuce", "io.netty",
			"org.springframework.data.redis", "reactor");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m");

	@AfterEach
	void restoreServerAndMdc() {
		MDC.clear();
		redis.server().start();
	}

	@Test
	void tenMegabyteMessageIsTruncatedToMaxMessageSizeWithMarker() {
		String huge = "x".repeat(10 * 1024 * 1024);
		// Far less than the message: only a record truncated on the logging thread fits.
		this.contextRunner.withPropertyValues("redis-log.queue-max-bytes=1MB").run((context) -> {
			log.info(huge);
			assertAccepted(context, 1);
			awaitPublished(context, 1);
		});
		assertThat(this.streams.messages(globalStream())).singleElement()
			.isEqualTo("x".repeat(DEFAULT_MAX_MESSAGE_SIZE) + "... [truncated "
					+ (huge.length() - DEFAULT_MAX_MESSAGE_SIZE) + " characters]");
	}

	@Test
	void truncationNeverSplitsASurrogatePair() {
		String message = "a".repeat(1023) + "\uD83D\uDE00" + "tail";
		this.contextRunner.withPropertyValues("redis-log.max-message-size=1KB").run((context) -> {
			log.info(message);
			awaitPublished(context, 1);
		});
		assertThat(this.streams.messages(globalStream())).containsExactly(
				"a".repeat(1023) + "... [truncated 6 characters]");
		assertThat(rawPayloads(globalStream())).allSatisfy(HostileInputTests::assertValidUtf8);
	}

	@Test
	void controlCharactersAnsiEscapesAndJsonLookalikesArriveAsTheTextThatWasLogged() {
		List<String> messages = List.of("nul \u0000 byte", "bell \u0007 and backspace \b and DEL \u007F",
				"\u001B[31mred\u001B[0m \u001B]0;window title\u0007 \u001B[2J\u001B[H",
				"{\"level\":\"ERROR\",\"logger\":\"forged\",\"message\":\"forged\"}",
				"\", \"level\": \"ERROR\", \"x\": \"", "line 1\nline 2\r\n\ttabbed \"quoted\" back\\slash",
				"\u202Eright-to-left override, line separator \u2028 paragraph separator \u2029",
				"emoji \uD83D\uDE00 and CJK \u65E5\u672C and combining e\u0301");
		this.contextRunner.run((context) -> {
			messages.forEach(log::info);
			awaitPublished(context, messages.size());
			assertThat(context.getBean(DeliveryCounters.class).dropped().total()).isZero();
		});
		List<Map<String, Object>> payloads = this.streams.payloads(globalStream());
		assertThat(payloads).extracting((payload) -> payload.get("message")).containsExactlyElementsOf(messages);
		assertThat(payloads).allSatisfy((payload) -> assertThat(payload).containsEntry("level", "INFO")
			.containsEntry("logger", "com.example.hostile.Input"));
		assertThat(rawPayloads(globalStream())).allSatisfy(HostileInputTests::assertValidUtf8);
	}

	@Test
	void loneSurrogatesArriveAsQuestionMarksInValidUtf8() {
		this.contextRunner.run((context) -> {
			log.info("lone high \uD800, lone low \uDC00, reversed \uDC00\uD800, pair \uD83D\uDE00");
			log.info("{} as an argument", "\uDBFF");
			awaitPublished(context, 2);
		});
		assertThat(this.streams.messages(globalStream())).containsExactly(
				"lone high ?, lone low ?, reversed ??, pair \uD83D\uDE00", "? as an argument");
		assertThat(rawPayloads(globalStream())).allSatisfy(HostileInputTests::assertValidUtf8);
	}

	@Test
	void nullMessageAndNullArgumentsArriveAsNullText() {
		this.contextRunner.run((context) -> {
			log.info((String) null);
			log.info((String) null, (Object) "argument");
			log.info("one {} two {}", null, null);
			log.info("array {}", (Object[]) null);
			log.info("throwable {}", (Throwable) null);
			assertAccepted(context, 5);
			awaitPublished(context, 5);
		});
		assertThat(this.streams.messages(globalStream())).containsExactly("null", "null", "one null two null",
				"array {}", "throwable {}");
	}

	@Test
	void argumentWhoseToStringThrowsIsRenderedAsFailedAndNeverReachesTheCaller() {
		Object throwsException = new Object() {
			@Override
			public String toString() {
				throw new IllegalStateException("toString failed");
			}
		};
		Object throwsError = new Object() {
			@Override
			public String toString() {
				throw new LinkageError("toString failed badly");
			}
		};
		this.contextRunner.run((context) -> {
			log.info("exception {}", throwsException);
			log.info("error {}", throwsError);
			assertAccepted(context, 2);
			awaitPublished(context, 2);
		});
		assertThat(this.streams.messages(globalStream())).containsExactly("exception [FAILED toString()]",
				"error [FAILED toString()]");
	}

	/**
	 * Since Logback 1.5.21, {@code UnsynchronizedAppenderBase} only guards against
	 * re-entry when the appender overrides {@code buildReentryGuard()}: the default guard
	 * is a no-op. With the thread-local guard ({@code ReentryGuardFactory.GuardType.THREAD_LOCAL},
	 * what Logback's own {@code ConsoleAppender} uses), a record logged on a thread that is
	 * already inside the appender's {@code doAppend} is not appended: the appender is not
	 * re-entered and the nested record is not queued (the other appenders still get it).
	 */
	@Test
	void argumentWhoseToStringLogsDoesNotReenterTheAppender() {
		Object logsOnce = new Object() {
			@Override
			public String toString() {
				nestedLog.info("logged while rendering an argument");
				return "rendered";
			}
		};
		assertLoggingOnceQueuesOnlyTheOuterRecord(logsOnce, "outer rendered");
	}

	@Test
	void argumentWhoseToStringLogsItselfDoesNotRecurseThroughTheAppender() {
		// Gives up after 100 levels, so that a failing test does not overflow the stack.
		AtomicInteger depth = new AtomicInteger();
		Object logsItself = new Object() {
			@Override
			public String toString() {
				if (depth.incrementAndGet() < 100) {
					log.info("rendering {}", this);
				}
				return "self";
			}
		};
		assertLoggingOnceQueuesOnlyTheOuterRecord(logsItself, "outer self");
	}

	@Test
	void slowArgumentDelaysOnlyItsCallerWhileOtherThreadsRecordsFlow() throws InterruptedException {
		CountDownLatch rendering = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Object slow = new Object() {
			@Override
			public String toString() {
				rendering.countDown();
				try {
					release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return "finally rendered";
			}
		};
		Thread caller = new Thread(() -> log.info("slow {}", slow), "slow-caller");
		this.contextRunner.run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			try {
				caller.start();
				await().until(() -> rendering.getCount() == 0);
				for (int i = 0; i < 100; i++) {
					log.info("meanwhile {}", i);
				}
				await().atMost(Duration.ofSeconds(30)).until(() -> counters.publishedCount() == 100);
				// The slow record was offered before it was captured: in flight, not lost.
				assertThat(counters.inFlight()).isOne();
				assertThat(caller.getState()).isIn(Thread.State.WAITING, Thread.State.TIMED_WAITING);
			}
			finally {
				release.countDown();
				caller.join(TimeUnit.SECONDS.toMillis(10));
			}
			awaitPublished(context, 101);
		});
		assertThat(caller.isAlive()).isFalse();
		List<String> messages = this.streams.messages(globalStream());
		assertThat(messages).hasSize(101).endsWith("slow finally rendered");
		assertThat(messages.subList(0, 100)).allSatisfy((message) -> assertThat(message).startsWith("meanwhile "));
	}

	/**
	 * The pattern layout runs on the worker thread, when it writes the payload: a layout
	 * that fails there, even with an {@link Error}, costs its record only, counted as a
	 * serialization drop, and the worker goes on with the next one.
	 */
	@Test
	void layoutThatFailsOnTheWorkerCostsOnlyItsRecord() {
		try (TroubleReports reports = BackendLogging.recordTroubleReports()) {
			this.contextRunner.withUserConfiguration(FailingLayoutConfiguration.class).run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				log.info("before");
				log.info("fail with an exception");
				log.info("fail with an error");
				log.info("after");
				awaitPublished(context, 2);
				assertThat(counters.dropped().count(DropReason.SERIALIZATION)).isEqualTo(2);
				assertThat(counters.dropped().total()).isEqualTo(2);
				assertThat(context.getBean(FailingLayout.class).failedOn).containsOnly("redis-log-worker");
			});
			// The first drop makes a report due, which the worker writes after the batch: the
			// second drop is in it if it was in the same batch, else waits for the next summary.
			assertThat(reports.messages()).filteredOn((message) -> message.contains("Dropped"))
				.singleElement()
				.asString()
				.matches("\\[redis-log] Dropped ([12]) log record\\(s\\) since the last report; \\1 in total "
						+ "\\(serialization=\\1\\)");
		}
		assertThat(applicationMessages()).containsExactly("before", "after");
		assertThat(dropNotes()).isNotEmpty()
			.allSatisfy((note) -> assertThat(note).asString().contains("log records dropped (serialization)"));
	}

	@Test
	void exceptionWithCyclicCausesIsDeliveredWithABoundedStackTrace() {
		IllegalStateException first = new IllegalStateException("first");
		IllegalArgumentException second = new IllegalArgumentException("second", first);
		first.initCause(second);
		Map<String, Object> exception = exception(logErrorAndReadItsPayload("cyclic causes", first));
		assertThat(exception).containsEntry("class", IllegalStateException.class.getName())
			.containsEntry("message", "first");
		assertThat((String) exception.get("stackTrace")).contains("Caused by: java.lang.IllegalArgumentException: second")
			.contains("CIRCULAR REFERENCE")
			.hasSizeLessThanOrEqualTo(DEFAULT_MAX_MESSAGE_SIZE + MAX_MARKER_LENGTH);
	}

	@Test
	void exceptionWithSuppressedExceptionsThatSuppressEachOtherIsDelivered() {
		IllegalStateException primary = new IllegalStateException("primary");
		IllegalStateException secondary = new IllegalStateException("secondary");
		primary.addSuppressed(secondary);
		secondary.addSuppressed(primary);
		for (int i = 0; i < 1_000; i++) {
			primary.addSuppressed(new IllegalArgumentException("suppressed " + i));
		}
		Map<String, Object> payload = logErrorAndReadItsPayload("suppressed", primary);
		assertThat((String) exception(payload).get("stackTrace"))
			.contains("Suppressed: java.lang.IllegalStateException: secondary")
			.contains("CIRCULAR REFERENCE")
			.endsWith(" characters]")
			.hasSizeLessThanOrEqualTo(DEFAULT_MAX_MESSAGE_SIZE + MAX_MARKER_LENGTH);
		assertThat((String) payload.get("message")).startsWith("suppressed")
			.hasSizeLessThanOrEqualTo(DEFAULT_MAX_MESSAGE_SIZE + MAX_MARKER_LENGTH);
	}

	@Test
	void exceptionWithTenThousandFramesAHugeMessageAndAThousandCausesIsDeliveredBounded() {
		Throwable deep = new IllegalStateException("root cause");
		for (int i = 1; i < 1_000; i++) {
			deep = new IllegalStateException("cause " + i, deep);
		}
		RuntimeException exception = new RuntimeException("m".repeat(1024 * 1024), deep);
		exception.setStackTrace(frames(10_000));
		Map<String, Object> payload = logErrorAndReadItsPayload("deep", exception);
		Map<String, Object> delivered = exception(payload);
		assertThat((String) delivered.get("message")).startsWith("mmm")
			.endsWith("... [truncated " + (1024 * 1024 - DEFAULT_MAX_MESSAGE_SIZE) + " characters]");
		assertThat((String) delivered.get("stackTrace")).startsWith("java.lang.RuntimeException: mmm")
			.endsWith(" characters]")
			.hasSizeLessThanOrEqualTo(DEFAULT_MAX_MESSAGE_SIZE + MAX_MARKER_LENGTH);
		assertThat((String) payload.get("message")).startsWith("deep")
			.hasSizeLessThanOrEqualTo(DEFAULT_MAX_MESSAGE_SIZE + MAX_MARKER_LENGTH);
	}

	@Test
	void hugeMdcValueCountsTowardsTheQueueByteBound() {
		String megabyte = "v".repeat(1024 * 1024);
		this.contextRunner.withPropertyValues("redis-log.queue-max-bytes=1MB").run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			MDC.put("huge", megabyte);
			log.info("with a megabyte of MDC");
			assertThat(counters.dropped().count(DropReason.QUEUE_FULL)).as("dropped when offered").isOne();
			MDC.remove("huge");
			log.info("without it");
			awaitPublished(context, 1);
			assertThat(counters.dropped().count(DropReason.QUEUE_FULL)).isOne();
			assertThat(counters.offeredCount()).isEqualTo(2);
		});
		assertThat(applicationMessages()).containsExactly("without it");
		assertThat(dropNotes()).singleElement().asString().startsWith("1 log records dropped (queue_full)");
		this.contextRunner.run((context) -> {
			MDC.put("huge", megabyte);
			log.info("with a megabyte of MDC");
			MDC.remove("huge");
			awaitPublished(context, 1);
		});
		assertThat(this.streams.payloads(globalStream())).last()
			.satisfies((payload) -> assertThat(payload).containsEntry("mdc", Map.of("huge", megabyte)));
	}

	@Test
	void tenThousandMdcEntriesCountTowardsTheQueueByteBound() {
		Map<String, String> entries = new HashMap<>();
		for (int i = 0; i < 10_000; i++) {
			entries.put("key-%04d".formatted(i), "value-%04d".formatted(i));
		}
		// 180,000 characters of keys and values: at least 360 KB estimated.
		this.contextRunner.withPropertyValues("redis-log.queue-max-bytes=256KB").run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			entries.forEach(MDC::put);
			log.info("with 10,000 MDC entries");
			assertThat(counters.dropped().count(DropReason.QUEUE_FULL)).as("dropped when offered").isOne();
			MDC.clear();
			log.info("without them");
			awaitPublished(context, 1);
			assertThat(counters.dropped().count(DropReason.QUEUE_FULL)).isOne();
		});
		assertThat(applicationMessages()).containsExactly("without them");
		assertThat(dropNotes()).singleElement().asString().startsWith("1 log records dropped (queue_full)");
		this.contextRunner.run((context) -> {
			entries.forEach(MDC::put);
			log.info("with 10,000 MDC entries");
			MDC.clear();
			awaitPublished(context, 1);
		});
		assertThat(this.streams.payloads(globalStream())).last()
			.satisfies((payload) -> assertThat(payload).containsEntry("mdc", entries));
	}

	@Test
	void recordsWithHugeMdcFromManyThreadsAreDeliveredOrCountedWithinTheQueueByteBound() {
		String megabyte = "v".repeat(1024 * 1024);
		long maxBytes = 4 * 1024 * 1024;
		this.contextRunner.withPropertyValues("redis-log.queue-max-bytes=4MB").run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			LogRecordQueue queue = context.getBean(LogRecordQueue.class);
			AtomicLong peakBytes = new AtomicLong();
			List<Thread> threads = new ArrayList<>();
			for (int t = 0; t < 4; t++) {
				threads.add(new Thread(() -> {
					MDC.put("huge", megabyte);
					for (int i = 0; i < 10; i++) {
						log.info("heavy {}", i);
						peakBytes.accumulateAndGet(queue.bytes(), Math::max);
					}
				}, "heavy-" + t));
			}
			threads.forEach(Thread::start);
			for (Thread thread : threads) {
				thread.join(TimeUnit.SECONDS.toMillis(30));
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> counters.inFlight() == 0);
			assertThat(peakBytes.get()).isLessThanOrEqualTo(maxBytes);
			assertThat(counters.offeredCount()).isEqualTo(40);
			assertThat(counters.publishedCount() + counters.dropped().count(DropReason.QUEUE_FULL)).isEqualTo(40);
			assertThat(counters.publishedCount()).isPositive();
			assertThat(applicationMessages()).hasSize((int) counters.publishedCount());
		});
	}

	/**
	 * {@code queue-max-bytes} is the most memory, estimated, that records waiting for
	 * delivery may hold: that includes the records the worker has taken from the queue
	 * into the batch it is filling or retrying, not only those still queued.
	 */
	@Test
	void recordsInTheWorkersBatchCountTowardsTheQueueByteBound() {
		String megabyte = "v".repeat(1024 * 1024);
		// A long flush interval keeps the worker filling its batch while the test logs.
		this.contextRunner.withPropertyValues("redis-log.queue-max-bytes=4MB", "redis-log.flush-interval=2s")
			.run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				LogRecordQueue queue = context.getBean(LogRecordQueue.class);
				MDC.put("huge", megabyte);
				for (int i = 0; i < 10; i++) {
					log.info("heavy {}", i);
					await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(() -> queue.size() == 0);
				}
				MDC.remove("huge");
				// Each record is estimated at more than 2 MB: only one fits within 4 MB.
				assertThat(counters.inFlight()).as("records waiting for delivery").isLessThanOrEqualTo(1);
				await().atMost(Duration.ofSeconds(30)).until(() -> counters.inFlight() == 0);
				assertThat(counters.publishedCount() + counters.dropped().count(DropReason.QUEUE_FULL)).isEqualTo(10);
			});
	}

	@Test
	void hostileContextIdsBecomeSafeBoundedStreamKeysAndNeverTheGlobalStream() {
		List<String> contextIds = List.of("global", "%67lobal", "*", "?", "[a-z]", "User.alice:*", "a b",
				"User.alice\u0000", "\u001B[31mred", "jos\u00E9", "\uD800", "{tag}", "x".repeat(10 * 1024),
				"*?[]:".repeat(2 * 1024));
		this.contextRunner.run((context) -> {
			for (String contextId : contextIds) {
				// As a request context id resolver would set it: open() keeps users' ids for users.
				try (MDC.MDCCloseable scope = MDC.putCloseable(RedisLogContext.MDC_KEY, contextId)) {
					log.info("in a hostile context");
				}
			}
			MDC.put(RedisLogContext.MDC_KEY, "");
			log.info("in an empty context");
			MDC.remove(RedisLogContext.MDC_KEY);
			awaitPublished(context, contextIds.size() + 1);
			assertThat(context.getBean(DeliveryCounters.class).dropped().total()).isZero();
		});
		String keyPrefix = "stream:" + this.prefix + ":";
		assertThat(this.streams.keys(keyPrefix + "*")).hasSize(contextIds.size() + 1)
			.contains(globalStream())
			.allSatisfy((key) -> assertThat(key.substring(keyPrefix.length()))
				.matches("[A-Za-z0-9._@%~-]{1," + ContextIdEncoder.MAX_LENGTH + "}"));
		assertThat(this.streams.payloads(globalStream())).hasSize(contextIds.size() + 1);
		ContextIdEncoder encoder = new ContextIdEncoder("global");
		for (String contextId : contextIds) {
			assertThat(this.streams.payloads(keyPrefix + encoder.encode(contextId))).singleElement()
				.satisfies((payload) -> assertThat(payload).containsEntry("context", contextId.replace('\uD800', '?')));
		}
	}

	@Test
	void redisClientLoggersAtTraceAreNeverQueuedAndStayQuietWhileRedisIsDown() {
		LoggerContext loggerContext = (LoggerContext) LoggerFactory.getILoggerFactory();
		Map<String, Level> levels = new HashMap<>();
		REDIS_CLIENT_LOGGERS.forEach((name) -> levels.put(name, loggerContext.getLogger(name).getLevel()));
		RecordCounter clientRecords = new RecordCounter(REDIS_CLIENT_LOGGERS);
		clientRecords.setContext(loggerContext);
		clientRecords.start();
		ch.qos.logback.classic.Logger root = loggerContext.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.addAppender(clientRecords);
		REDIS_CLIENT_LOGGERS.forEach((name) -> loggerContext.getLogger(name).setLevel(Level.TRACE));
		try {
			this.contextRunner.withPropertyValues("spring.data.redis.timeout=1s").run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				RedisWriteStatus writeStatus = context.getBean(RedisWriteStatus.class);
				for (int i = 0; i < 10; i++) {
					log.info("before the outage {}", i);
				}
				awaitPublished(context, 10);
				redis.server().stop();
				for (int i = 0; i < 10; i++) {
					log.info("during the outage {}", i);
				}
				await().until(() -> writeStatus.failingSince() != null);
				long clientRecordsBefore = clientRecords.count();
				long startedMillis = System.currentTimeMillis();
				long cpuBefore = processCpuNanos();
				long wallBefore = System.nanoTime();
				// Redis is down, the application logs nothing: no record may be offered.
				await("nothing offered while only the Redis client logs").during(Duration.ofSeconds(3))
					.atMost(Duration.ofSeconds(5))
					.until(() -> counters.offeredCount() == 20);
				double cores = (double) (processCpuNanos() - cpuBefore) / (System.nanoTime() - wallBefore);
				assertThat(cores).as("cores busy while Redis is down").isLessThan(0.5);
				assertThat(clientRecords.count()).as("records of the Redis client while Redis is down")
					.isGreaterThan(clientRecordsBefore);
				assertThat(loggerContext.getStatusManager().getCopyOfStatusList())
					.filteredOn((status) -> status.getTimestamp() >= startedMillis
							&& status.getMessage().startsWith("[redis-log]"))
					.as("trouble reports while Redis is down")
					.hasSizeLessThanOrEqualTo(2);
				redis.server().start();
				awaitPublished(context, 20);
				assertThat(counters.offeredCount()).isEqualTo(20);
				assertThat(counters.dropped().total()).isZero();
			});
		}
		finally {
			levels.forEach((name, level) -> loggerContext.getLogger(name).setLevel(level));
			root.detachAppender(clientRecords);
			clientRecords.stop();
		}
		// The restarted server holds what was logged during the outage, and nothing else.
		assertThat(this.streams.payloads(globalStream())).hasSize(10)
			.allSatisfy((payload) -> assertThat(payload).containsEntry("logger", "com.example.hostile.Input")
				.extractingByKey("message")
				.asString()
				.startsWith("during the outage"));
	}

	private void assertLoggingOnceQueuesOnlyTheOuterRecord(Object argument, String message) {
		this.contextRunner.run((context) -> {
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			assertTimeoutPreemptively(Duration.ofSeconds(10), () -> log.info("outer {}", argument));
			assertThat(counters.offeredCount()).as("records queued by one logging call").isOne();
			awaitPublished(context, 1);
		});
		assertThat(this.streams.payloads(globalStream())).singleElement()
			.satisfies((payload) -> assertThat(payload).containsEntry("message", message)
				.containsEntry("logger", "com.example.hostile.Input"));
	}

	private Map<String, Object> logErrorAndReadItsPayload(String message, Throwable exception) {
		this.contextRunner.run((context) -> {
			log.error(message, exception);
			assertAccepted(context, 1);
			awaitPublished(context, 1);
		});
		return this.streams.payloads(globalStream()).get(0);
	}

	// The appender keeps what a capture throws from the caller and counts its record as a
	// serialization drop: each record must have been captured and queued instead.
	private void assertAccepted(AssertableApplicationContext context, long records) {
		DeliveryCounters counters = context.getBean(DeliveryCounters.class);
		assertThat(counters.offeredCount()).as("records offered").isEqualTo(records);
		assertThat(counters.dropped().total()).as("records dropped on the logging thread").isZero();
	}

	private void awaitPublished(AssertableApplicationContext context, long records) {
		DeliveryCounters counters = context.getBean(DeliveryCounters.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> counters.publishedCount() >= records);
		assertThat(counters.publishedCount()).isEqualTo(records);
		assertThat(counters.inFlight()).isZero();
	}

	private String globalStream() {
		return "stream:" + this.prefix + ":global";
	}

	private List<String> applicationMessages() {
		return this.streams.payloads(globalStream())
			.stream()
			.filter((payload) -> !NOTE_LOGGER.equals(payload.get("logger")))
			.map((payload) -> (String) payload.get("message"))
			.toList();
	}

	private List<Object> dropNotes() {
		return this.streams.payloads(globalStream())
			.stream()
			.filter((payload) -> NOTE_LOGGER.equals(payload.get("logger")))
			.map((payload) -> payload.get("message"))
			.toList();
	}

	private List<byte[]> rawPayloads(String streamKey) {
		List<ByteRecord> entries = redis.template()
			.execute((RedisCallback<List<ByteRecord>>) (connection) -> connection.streamCommands()
				.xRange(streamKey.getBytes(StandardCharsets.UTF_8), Range.unbounded()));
		return entries.stream().map((entry) -> entry.getValue().values().iterator().next()).toList();
	}

	private static void assertValidUtf8(byte[] bytes) {
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes));
		}
		catch (CharacterCodingException ex) {
			throw new AssertionError("Payload is not valid UTF-8: " + ex, ex);
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> exception(Map<String, Object> payload) {
		assertThat(payload).containsKey("exception");
		return (Map<String, Object>) payload.get("exception");
	}

	private static StackTraceElement[] frames(int count) {
		StackTraceElement[] frames = new StackTraceElement[count];
		for (int i = 0; i < count; i++) {
			frames[i] = new StackTraceElement("com.example.hostile.Recursive", "call" + i, "Recursive.java", i + 1);
		}
		return frames;
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/**
	 * Lays out records with {@code %m}, but fails for those whose message starts with
	 * "fail with", with an exception or an error as the message says.
	 */
	static final class FailingLayout extends PatternLayout {

		final List<String> failedOn = new CopyOnWriteArrayList<>();

		@Override
		public String doLayout(ILoggingEvent event) {
			String message = event.getFormattedMessage();
			if (message.startsWith("fail with")) {
				this.failedOn.add(Thread.currentThread().getName());
				if (message.contains("error")) {
					throw new NoClassDefFoundError("com/example/Unloaded");
				}
				throw new IllegalStateException("Layout failed");
			}
			return super.doLayout(event);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingLayoutConfiguration {

		@Bean
		FailingLayout failingLayout() {
			FailingLayout layout = new FailingLayout();
			layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
			layout.setPattern("%m");
			layout.start();
			return layout;
		}

		@Bean
		RedisLogAppenderRegistration failingLayoutAppenderRegistration(FailingLayout failingLayout,
				LogRecordQueue queue, DeliveryCounters counters) {
			return new RedisLogAppenderRegistration((LoggerContext) LoggerFactory.getILoggerFactory(),
					new RedisLogAppender(failingLayout, DEFAULT_MAX_MESSAGE_SIZE, queue, counters));
		}

	}

	/**
	 * Counts the records of some loggers, to show that they did log.
	 */
	private static final class RecordCounter extends AppenderBase<ILoggingEvent> {

		private final List<String> loggers;

		private final AtomicLong count = new AtomicLong();

		RecordCounter(List<String> loggers) {
			this.loggers = loggers;
		}

		@Override
		protected void append(ILoggingEvent event) {
			for (String logger : this.loggers) {
				if (event.getLoggerName().startsWith(logger + ".")) {
					this.count.incrementAndGet();
					return;
				}
			}
		}

		long count() {
			return this.count.get();
		}

	}

}
