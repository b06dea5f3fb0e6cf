package io.github.redislog.messaging;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.redislog.support.TroubleReporter;

/**
 * Counts the log contexts that came with messages and were not restored, by reason, and
 * reports them without flooding: the first at once, then at most one summary every
 * {@value #SUMMARY_INTERVAL_SECONDS} seconds. Called by any thread that handles messages.
 *
 * @author Redis Log contributors
 */
public final class RefusedContexts {

	static final long SUMMARY_INTERVAL_SECONDS = 10;

	// The part of a refused value that a report quotes: it comes from whoever sent it.
	private static final int QUOTED_LENGTH = 100;

	private final TroubleReporter reporter;

	private final Map<RefusalReason, AtomicLong> counts = new EnumMap<>(RefusalReason.class);

	private final AtomicLong unreported = new AtomicLong();

	private final AtomicLong nextReportNanos = new AtomicLong(System.nanoTime());

	public RefusedContexts(TroubleReporter reporter) {
		this.reporter = reporter;
		for (RefusalReason reason : RefusalReason.values()) {
			this.counts.put(reason, new AtomicLong());
		}
	}

	/**
	 * Count a refused context, and report it when a report is due.
	 * @param reason why it was refused
	 * @param value the value of the {@value ContextHeaders#CONTEXT} field
	 */
	void refused(RefusalReason reason, String value) {
		this.counts.get(reason).incrementAndGet();
		this.unreported.incrementAndGet();
		long now = System.nanoTime();
		long due = this.nextReportNanos.get();
		if (now - due >= 0
				&& this.nextReportNanos.compareAndSet(due, now + Duration.ofSeconds(SUMMARY_INTERVAL_SECONDS).toNanos())) {
			report(reason, value, this.unreported.getAndSet(0));
		}
	}

	private void report(RefusalReason reason, String value, long count) {
		try {
			this.reporter.warn("Refused the log context of " + count
					+ " received message(s), handled in no context instead. Last: " + reason.tag() + ", "
					+ ContextHeaders.CONTEXT + "='" + quote(value) + "'", null);
		}
		catch (RuntimeException ex) {
			// A report that fails must not fail the handling of a message.
		}
	}

	private static String quote(String value) {
		StringBuilder quoted = new StringBuilder(Math.min(value.length(), QUOTED_LENGTH));
		for (int i = 0; i < value.length() && i < QUOTED_LENGTH; i++) {
			char c = value.charAt(i);
			quoted.append((c >= ' ' && c <= '~') ? c : '?');
		}
		return (value.length() > QUOTED_LENGTH) ? quoted + "..." : quoted.toString();
	}

	/**
	 * Return how many contexts were refused for a reason.
	 * @param reason the reason
	 * @return the count since startup
	 */
	public long count(RefusalReason reason) {
		return this.counts.get(reason).get();
	}

}
