package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.core.NestedExceptionUtils;

/**
 * How writing batches to Redis goes: updated by the worker, read by health and metrics.
 *
 * @author Redis Log contributors
 */
public final class RedisWriteStatus {

	private final AtomicLong failedAttempts = new AtomicLong();

	private final List<Consumer<Duration>> batchListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Instant lastSuccess;

	private volatile @Nullable Instant failingSince;

	private volatile @Nullable String lastError;

	private volatile long consecutiveFailures;

	/**
	 * Register a listener for the duration of each batch Redis accepted.
	 * @param listener the listener
	 */
	public void onBatchWritten(Consumer<Duration> listener) {
		this.batchListeners.add(listener);
	}

	void succeeded(Duration duration) {
		this.lastSuccess = Instant.now();
		this.failingSince = null;
		this.consecutiveFailures = 0;
		this.batchListeners.forEach((listener) -> listener.accept(duration));
	}

	void failed(Throwable error) {
		if (this.failingSince == null) {
			this.failingSince = Instant.now();
		}
		// A pipeline's exception only says that some command failed; its cause says which.
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(error);
		this.lastError = cause.getClass().getName() + ": " + cause.getMessage();
		this.consecutiveFailures++;
		this.failedAttempts.incrementAndGet();
	}

	/**
	 * Return since when writes fail.
	 * @return the time of the first failure since the last success, or {@code null} while
	 * writes succeed
	 */
	public @Nullable Instant failingSince() {
		return this.failingSince;
	}

	public @Nullable Instant lastSuccess() {
		return this.lastSuccess;
	}

	public @Nullable String lastError() {
		return this.lastError;
	}

	public long consecutiveFailures() {
		return this.consecutiveFailures;
	}

	/**
	 * Return how many attempts to write a batch failed.
	 * @return the count since startup
	 */
	public long failedAttempts() {
		return this.failedAttempts.get();
	}

}
