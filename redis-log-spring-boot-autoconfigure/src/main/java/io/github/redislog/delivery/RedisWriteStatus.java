package io.github.redislog.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import io.github.redislog.support.Failures;

import org.jspecify.annotations.Nullable;

/**
 * How writing batches to Redis goes: updated by the worker, read by health and metrics.
 * Writing fails while nothing gets through; records that Redis refused for good while
 * others got through are rejections, not failures.
 *
 * @author Redis Log contributors
 */
public final class RedisWriteStatus {

	private final AtomicLong failedAttempts = new AtomicLong();

	private final AtomicLong refusedExpiries = new AtomicLong();

	private final AtomicLong refusedOwners = new AtomicLong();

	private final List<Consumer<Duration>> batchListeners = new CopyOnWriteArrayList<>();

	private volatile @Nullable Instant lastSuccess;

	private volatile @Nullable Instant failingSince;

	private volatile @Nullable String lastError;

	private volatile long consecutiveFailures;

	private volatile @Nullable String lastRejection;

	private volatile @Nullable Instant lastRejectedAt;

	private volatile @Nullable String workerFailure;

	/**
	 * Register a listener for the duration of each batch Redis accepted. A listener that
	 * throws is skipped for that batch: it cannot make a delivered batch look failed.
	 * @param listener the listener
	 */
	public void onBatchWritten(Consumer<Duration> listener) {
		this.batchListeners.add(listener);
	}

	void succeeded(Duration duration) {
		this.lastSuccess = Instant.now();
		this.failingSince = null;
		this.consecutiveFailures = 0;
		this.workerFailure = null;
		for (Consumer<Duration> listener : this.batchListeners) {
			try {
				listener.accept(duration);
			}
			catch (Throwable ex) {
				Failures.rethrowIfFatal(ex);
			}
		}
	}

	void failed(String error) {
		if (this.failingSince == null) {
			this.failingSince = Instant.now();
		}
		this.lastError = error;
		this.consecutiveFailures++;
		this.failedAttempts.incrementAndGet();
	}

	void rejected(@Nullable String refusal) {
		this.lastRejection = refusal;
		this.lastRejectedAt = Instant.now();
	}

	void expiryRefused(String refusal) {
		this.refusedExpiries.incrementAndGet();
		rejected(refusal);
	}

	void ownerRefused(String refusal) {
		this.refusedOwners.incrementAndGet();
		rejected(refusal);
	}

	void workerDied(Throwable cause) {
		this.workerFailure = cause.toString();
		failed("The delivery worker died: " + cause);
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
	 * Return the last command Redis refused for good, with its key and error.
	 * @return for example {@code XADD stream:logs:User.bob: WRONGTYPE ...}, or {@code null}
	 */
	public @Nullable String lastRejection() {
		return this.lastRejection;
	}

	public @Nullable Instant lastRejectedAt() {
		return this.lastRejectedAt;
	}

	/**
	 * Return why the worker thread died, until a batch gets through again.
	 * @return the cause, or {@code null}
	 */
	public @Nullable String workerFailure() {
		return this.workerFailure;
	}

	/**
	 * Return how many attempts to write a batch failed.
	 * @return the count since startup
	 */
	public long failedAttempts() {
		return this.failedAttempts.get();
	}

	/**
	 * Return how many {@code EXPIRE} commands Redis refused for good after the entries
	 * they serve were written: each left a key without its time to live, until a later
	 * write refreshes it. The records are delivered all the same.
	 * @return the count since startup
	 */
	public long refusedExpiries() {
		return this.refusedExpiries.get();
	}

	/**
	 * Return how many owners ({@code SET ... NX}) Redis refused for good after the entries
	 * they serve were written: each left a context's stream without its owner key. The
	 * records are delivered all the same.
	 * @return the count since startup
	 */
	public long refusedOwners() {
		return this.refusedOwners.get();
	}

}
