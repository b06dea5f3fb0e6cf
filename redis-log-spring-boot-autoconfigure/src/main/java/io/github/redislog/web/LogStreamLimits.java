package io.github.redislog.web;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * How many event streams may be open at once, per user and in total, so that one user
 * cannot take the connections or the memory of everyone else.
 *
 * @author Redis Log contributors
 */
public final class LogStreamLimits {

	private final int perUser;

	private final int total;

	private final AtomicInteger open = new AtomicInteger();

	private final LongAdder refused = new LongAdder();

	private final ConcurrentMap<String, Integer> openPerUser = new ConcurrentHashMap<>();

	/**
	 * Create limits.
	 * @param perUser most streams one user may have open
	 * @param total most streams open in all
	 */
	public LogStreamLimits(int perUser, int total) {
		Assert.isTrue(perUser > 0, "'perUser' must be positive");
		Assert.isTrue(total > 0, "'total' must be positive");
		this.perUser = perUser;
		this.total = total;
	}

	/**
	 * Take a place for a new stream of a user.
	 * @param user the user's name
	 * @return the place, to release when the stream ends, or {@code null} when the user
	 * or the application is at its limit
	 */
	public @Nullable Permit acquire(String user) {
		if (this.open.incrementAndGet() > this.total) {
			this.open.decrementAndGet();
			this.refused.increment();
			return null;
		}
		if (this.openPerUser.merge(user, 1, Integer::sum) > this.perUser) {
			release(user);
			this.refused.increment();
			return null;
		}
		return new Permit(user);
	}

	/**
	 * Return how many streams are open.
	 * @return the number of places taken
	 */
	public int open() {
		return this.open.get();
	}

	/**
	 * Return how many streams were refused for being over a limit.
	 * @return the number of refusals since the application started
	 */
	public long refused() {
		return this.refused.sum();
	}

	private void release(String user) {
		this.openPerUser.computeIfPresent(user, (name, count) -> (count > 1) ? count - 1 : null);
		this.open.decrementAndGet();
	}

	/**
	 * A place taken by one stream.
	 */
	public final class Permit {

		private final String user;

		private final AtomicBoolean released = new AtomicBoolean();

		private Permit(String user) {
			this.user = user;
		}

		/**
		 * Give the place back; only the first call counts.
		 */
		public void release() {
			if (this.released.compareAndSet(false, true)) {
				LogStreamLimits.this.release(this.user);
			}
		}

	}

}
