package io.github.redislog.writer;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import org.jspecify.annotations.Nullable;

/**
 * One command of a batch, as Lettuce sends it: no future and no listener per command, only
 * the {@link LogReplyOutput reply} and a count of the batch's {@link PendingReplies} taken
 * down once it is done. Lettuce completes it on its I/O thread; a cluster connection wraps
 * it, follows {@code MOVED} and {@code ASK} itself and completes it with the final reply.
 *
 * @author Redis Log contributors
 */
final class LogCommand extends Command<byte[], byte[], Void> {

	private static final AtomicIntegerFieldUpdater<LogCommand> SETTLED = AtomicIntegerFieldUpdater
		.newUpdater(LogCommand.class, "settled");

	private final PendingReplies pending;

	// Completion, failure and cancellation may race (the waiter cancels what is late):
	// the count goes down once.
	private volatile int settled;

	LogCommand(ProtocolKeyword type, CommandArgs<byte[], byte[]> args, PendingReplies pending) {
		super(type, new LogReplyOutput(), args);
		this.pending = pending;
	}

	@Override
	public void complete() {
		super.complete();
		settle();
	}

	@Override
	public boolean completeExceptionally(Throwable failure) {
		super.completeExceptionally(failure);
		settle();
		return true;
	}

	@Override
	public void cancel() {
		super.cancel();
		settle();
	}

	private void settle() {
		if (SETTLED.compareAndSet(this, 0, 1)) {
			this.pending.done();
		}
	}

	/**
	 * Return whether Redis replied to the command: it may be done without a reply, when
	 * the client failed it, for example because the connection closed.
	 * @return whether the outcome is Redis's reply
	 */
	boolean isReplied() {
		return isDone() && !isCancelled() && this.exception == null;
	}

	/**
	 * Return the error reply of Redis, once {@link #isReplied() replied}.
	 * @return the error reply, or {@code null} if Redis accepted the command
	 */
	@Nullable String errorReply() {
		return this.output.getError();
	}

	/**
	 * Return the integer Redis replied with, once {@link #isReplied() replied}.
	 * @return the integer, or {@link LogReplyOutput#NO_INTEGER}
	 */
	long integerReply() {
		return ((LogReplyOutput) this.output).integer();
	}

}
