package io.github.redislog.benchmarks;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The load tools' threads: emitters started together, joined and waited for within a
 * bound, so that no loop of a tool runs unbounded.
 *
 * @author Redis Log contributors
 */
final class Threads {

	static final Duration TIMEOUT = Duration.ofMinutes(2);

	private Threads() {
	}

	static Thread start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	static void join(List<Thread> threads) throws InterruptedException {
		for (Thread thread : threads) {
			thread.join(TIMEOUT.toMillis());
			if (thread.isAlive()) {
				throw new IllegalStateException(thread.getName() + " did not finish");
			}
		}
	}

	static void await(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	static void awaitCondition(String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + TIMEOUT.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				throw new IllegalStateException("Timed out waiting for " + what);
			}
			LockSupport.parkNanos(100_000);
		}
	}

}
