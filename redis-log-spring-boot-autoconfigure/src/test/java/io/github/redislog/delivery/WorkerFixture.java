package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.writer.DirectRedisLogPublisher;
import io.github.redislog.writer.LogBatch;
import io.github.redislog.writer.RedisLogPublisher;
import io.github.redislog.writer.RespEndpoint;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The parts the worker is built from, writing to a test's Redis under a prefix of their
 * own: a queue, the counters, a shutdown deadline, the write status, what the delivery and
 * the dropped records reported, and a publisher that notes how many records each batch it
 * is given holds, and how many are queued once it is published.
 */
final class WorkerFixture implements AutoCloseable {

	final LogChannels channels = new LogChannels("t" + UUID.randomUUID().toString().substring(0, 8), "global",
			Duration.ofMinutes(5), Duration.ofMinutes(5));

	final List<String> dropReports = new CopyOnWriteArrayList<>();

	final DroppedRecords dropped = new DroppedRecords((message, cause) -> this.dropReports.add(message));

	final DeliveryCounters counters = new DeliveryCounters(this.dropped);

	final LogRecordQueue queue = new LogRecordQueue(100, Long.MAX_VALUE, this.dropped);

	final ShutdownDeadline shutdown = new ShutdownDeadline();

	final RedisWriteStatus writeStatus = new RedisWriteStatus();

	final List<String> reports = new CopyOnWriteArrayList<>();

	// The number of records in each batch the publisher was given.
	final List<Integer> batches = new CopyOnWriteArrayList<>();

	// The number of records queued once each batch was published.
	final List<Integer> queuedAfterBatches = new CopyOnWriteArrayList<>();

	// The number of records in each batch written ahead of the one in hand's replies.
	final List<Integer> writtenAhead = new CopyOnWriteArrayList<>();

	private final TestRedis redis;

	private final DirectRedisLogPublisher publisher;

	WorkerFixture(TestRedis redis) {
		this.redis = redis;
		this.publisher = new DirectRedisLogPublisher(new RespEndpoint(redis.host(), redis.port(), null, null, 0,
				Duration.ofSeconds(5), Duration.ofSeconds(5)), 1000);
	}

	BatchDelivery delivery(LogPayloadWriter payloadWriter) {
		return new BatchDelivery(payloadWriter, new NotingPublisher(), this.channels, this.counters, this.writeStatus,
				(message, cause) -> this.reports.add(message), this.shutdown);
	}

	DeliveryLoop loop(BatchDelivery delivery, int batchSize, Duration flushInterval) {
		return new DeliveryLoop(this.queue, delivery, this.shutdown, batchSize, flushInterval);
	}

	void offer(String... messages) {
		for (String message : messages) {
			assertThat(this.queue.offer(record(message))).isTrue();
		}
	}

	LogRecord record(String message) {
		return new LogRecord(message, "INFO", Instant.now(), "com.example.Orders", "main", null, null, Map.of(), null,
				100);
	}

	/**
	 * Return the messages of the records in the global stream.
	 * @return the messages, oldest first
	 */
	List<String> globalMessages() {
		return new RedisStreams(this.redis.template()).recordMessages(this.channels.global().streamKey());
	}

	@Override
	public void close() {
		this.publisher.stop();
	}

	/**
	 * Publishes through the direct connection, noting each batch, each one written ahead and
	 * what is queued after it.
	 */
	private final class NotingPublisher implements RedisLogPublisher {

		@Override
		public void publish(LogBatch batch) {
			publish(batch, () -> {
			});
		}

		@Override
		public void publish(LogBatch batch, Runnable whileRedisWorks) {
			WorkerFixture.this.batches.add(batch.entries().size());
			WorkerFixture.this.publisher.publish(batch, whileRedisWorks);
			WorkerFixture.this.queuedAfterBatches.add(WorkerFixture.this.queue.size());
		}

		@Override
		public boolean writeAhead(LogBatch next) {
			WorkerFixture.this.writtenAhead.add(next.entries().size());
			return WorkerFixture.this.publisher.writeAhead(next);
		}

	}

}
