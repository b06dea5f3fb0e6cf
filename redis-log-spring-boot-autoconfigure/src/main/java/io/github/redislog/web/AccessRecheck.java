package io.github.redislog.web;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Asks again whether a viewer may still read its stream, on a sender thread and one
 * question at a time, since the access policy may call Redis. A viewer who may no longer
 * read it is disconnected; one whose answer cannot be had now is asked again next time.
 *
 * @author Redis Log contributors
 */
final class AccessRecheck {

	private final BooleanSupplier allowed;

	private final AtomicBoolean checking = new AtomicBoolean();

	/**
	 * Create a re-check.
	 * @param allowed whether the viewer may still read the stream
	 */
	AccessRecheck(BooleanSupplier allowed) {
		this.allowed = allowed;
	}

	/**
	 * Ask on a sender thread, unless the last question is still open.
	 * @param subscription the viewer
	 */
	void askLater(LogStreamSubscription subscription) {
		if (this.checking.compareAndSet(false, true)) {
			subscription.execute(() -> ask(subscription));
		}
	}

	private void ask(LogStreamSubscription subscription) {
		try {
			if (!subscription.isEnding() && !this.allowed.getAsBoolean()) {
				subscription.end(StreamEnd.UNAUTHORIZED);
			}
		}
		catch (RuntimeException ex) {
			// Cannot tell now (Redis may be down): asked again at the next keepalive.
		}
		finally {
			this.checking.set(false);
		}
	}

}
