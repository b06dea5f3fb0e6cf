package io.github.redislog.logback;

import java.io.PrintStream;

import ch.qos.logback.core.Context;
import ch.qos.logback.core.status.OnPrintStreamStatusListenerBase;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.status.StatusListener;

/**
 * Prints Logback status messages of level WARN and above to {@code System.err}, so the
 * starter's own trouble is visible without going through a logger (which could loop back
 * into the appender).
 *
 * @author Redis Log contributors
 */
final class WarnConsoleStatusListener extends OnPrintStreamStatusListenerBase {

	WarnConsoleStatusListener() {
		setRetrospective(0);
		setResetResistant(true);
	}

	@Override
	public void addStatusEvent(Status status) {
		if (status.getLevel() >= Status.WARN) {
			super.addStatusEvent(status);
		}
	}

	@Override
	protected PrintStream getPrintStream() {
		return System.err;
	}

	/**
	 * Add a listener to the context unless one already prints its status to a console.
	 * @param context the Logback context
	 */
	static void addIfAbsent(Context context) {
		for (StatusListener listener : context.getStatusManager().getCopyOfStatusListenerList()) {
			if (listener instanceof OnPrintStreamStatusListenerBase) {
				return;
			}
		}
		WarnConsoleStatusListener listener = new WarnConsoleStatusListener();
		listener.setContext(context);
		listener.start();
		context.getStatusManager().add(listener);
	}

}
