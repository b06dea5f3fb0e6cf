package io.github.redislog.support;

/**
 * What the worker may survive. A collaborator of the worker (a payload writer, a publisher,
 * a meter, a trouble reporter) may throw anything: only the JVM's own trouble, such as
 * running out of memory, ends the worker thread.
 *
 * @author Redis Log contributors
 */
public final class Failures {

	private Failures() {
	}

	/**
	 * Rethrow a failure the worker cannot carry on after.
	 * @param failure what a collaborator threw
	 */
	public static void rethrowIfFatal(Throwable failure) {
		if (failure instanceof VirtualMachineError error) {
			throw error;
		}
	}

}
