package io.github.redislog.delivery;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * When a report about repeated trouble is due: the first at once, then at most one per
 * interval, until {@link #reset()}. Safe for threads that report at the same time: one of
 * them gets the report; it takes no lock and allocates nothing.
 *
 * @author Redis Log contributors
 */
final class ReportThrottle {

	private final long interval;

	private final LongSupplier clock;

	private final AtomicLong nextReport;

	ReportThrottle(Duration interval) {
		this(interval.toNanos(), System::nanoTime);
	}

	/**
	 * Create an instance on a clock of the caller's.
	 * @param interval the shortest time between two reports, in the clock's unit
	 * @param clock the current time
	 */
	ReportThrottle(long interval, LongSupplier clock) {
		this.interval = interval;
		this.clock = clock;
		this.nextReport = new AtomicLong(clock.getAsLong());
	}

	/**
	 * Return whether to report now, and if so count this as the last report.
	 * @return whether a report is due
	 */
	boolean isDue() {
		return isDue(this.clock.getAsLong());
	}

	/**
	 * Return whether to report at the given time, and if so count this as the last report.
	 * @param now the time of the trouble, in the clock's unit: a caller that knows it
	 * reads no clock
	 * @return whether a report is due
	 */
	boolean isDue(long now) {
		long next = this.nextReport.get();
		// A report more than two intervals ahead means that the clock went back; times of
		// trouble on several threads arrive a little out of order, which is no reason.
		boolean due = now - next >= 0 || next - now > 2 * this.interval;
		return due && this.nextReport.compareAndSet(next, now + this.interval);
	}

	/**
	 * Make the next report due at once, for example when the trouble is over.
	 */
	void reset() {
		this.nextReport.set(this.clock.getAsLong());
	}

}
