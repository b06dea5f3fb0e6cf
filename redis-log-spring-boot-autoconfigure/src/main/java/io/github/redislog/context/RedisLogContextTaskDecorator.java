package io.github.redislog.context;

import io.micrometer.context.ContextSnapshot;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.core.task.TaskDecorator;

/**
 * Runs each task in the log context of the thread that submitted it, and in none when
 * that thread had none, so that a pooled thread never logs into the context of a task it
 * ran before. Only the log context: other thread-local values (an observation, a security
 * context) are left to a {@code ContextPropagatingTaskDecorator}, with which this one
 * composes.
 *
 * @author Redis Log contributors
 */
public final class RedisLogContextTaskDecorator implements TaskDecorator {

	private final ContextSnapshotFactory snapshots = ContextSnapshotFactory.builder()
		.captureKeyPredicate(RedisLogContextAccessor.KEY::equals)
		.clearMissing(true)
		.build();

	@Override
	public Runnable decorate(Runnable runnable) {
		ContextSnapshot snapshot = this.snapshots.captureAll();
		return () -> {
			// Restore and clear only the log context: a snapshot's wrap() would clear every
			// other accessor's value that this decorator did not capture.
			try (ContextSnapshot.Scope scope = snapshot.setThreadLocals(RedisLogContextAccessor.KEY::equals)) {
				runnable.run();
			}
		};
	}

}
