package io.github.redislog.delivery;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ConsumerParking}: a parked consumer is woken by the producer whose
 * record makes the count it waits for, and by none before.
 */
class ConsumerParkingTests {

	private final ExecutorService executor = Executors.newSingleThreadExecutor();

	private final ConsumerParking parking = new ConsumerParking();

	private final AtomicLong queued = new AtomicLong();

	private final AtomicReference<Future<?>> waiting = new AtomicReference<>();

	@AfterEach
	void shutDown() {
		this.executor.shutdownNow();
	}

	@Test
	void producersWakeTheConsumerOnlyOnceTheQueueHoldsWhatItWaitsFor() throws Exception {
		Thread consumer = parkedConsumer(3);
		Future<?> parked = this.waiting.get();
		this.parking.added(this.queued.incrementAndGet());
		this.parking.added(this.queued.incrementAndGet());
		await().during(Duration.ofMillis(300))
			.atMost(Duration.ofSeconds(2))
			.until(() -> !parked.isDone() && LockSupport.getBlocker(consumer) == this);
		this.parking.added(this.queued.incrementAndGet());
		parked.get(10, TimeUnit.SECONDS);
	}

	@Test
	void aConsumerWaitingForOneRecordIsWokenByTheNext() throws Exception {
		parkedConsumer(1);
		this.parking.added(this.queued.incrementAndGet());
		this.waiting.get().get(10, TimeUnit.SECONDS);
	}

	@Test
	void aConsumerDoesNotParkWhenTheQueueHoldsWhatItWaitsForAlready() throws Exception {
		this.queued.set(5);
		long start = System.nanoTime();
		this.parking.await(5, this.queued::get, TimeUnit.MINUTES.toNanos(1), this);
		assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(10));
	}

	private Thread parkedConsumer(long count) {
		AtomicReference<Thread> thread = new AtomicReference<>();
		this.waiting.set(this.executor.submit(() -> {
			thread.set(Thread.currentThread());
			this.parking.await(count, this.queued::get, TimeUnit.MINUTES.toNanos(1), this);
			return null;
		}));
		await().until(() -> thread.get() != null && LockSupport.getBlocker(thread.get()) == this);
		return thread.get();
	}

}
