package io.github.redislog.writer;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.netty.buffer.ByteBuf;
import org.jspecify.annotations.Nullable;

/**
 * One command of a batch, as Lettuce sends it: no future and no listener per command, only
 * the {@link LogReplyOutput reply} and a count of the batch's {@link PendingReplies} taken
 * down once it is done. Lettuce completes it on its I/O thread; a cluster connection wraps
 * it, follows {@code MOVED} and {@code ASK} itself and completes it with the final reply.
 * <p>
 * The command writes itself: the parts that are the same for every command of its
 * {@link Layout} are encoded once, and only its key, value and number are encoded per
 * command, into a buffer sized once. Its {@link CommandArgs} hold only its key, which a
 * cluster connection routes it by, and are shared by the commands on that key: Lettuce only
 * reads them.
 *
 * @author Redis Log contributors
 */
final class LogCommand extends Command<byte[], byte[], Void> {

	private static final AtomicIntegerFieldUpdater<LogCommand> SETTLED = AtomicIntegerFieldUpdater
		.newUpdater(LogCommand.class, "settled");

	private static final byte[] CRLF = { '\r', '\n' };

	private final Layout layout;

	private final byte[] key;

	private final byte @Nullable [] value;

	private final long number;

	private final PendingReplies pending;

	// Completion, failure and cancellation may race (the waiter cancels what is late):
	// the count goes down once.
	private volatile int settled;

	/**
	 * Create a command.
	 * @param layout the command's constant parts
	 * @param keyArgs arguments that hold only the key, as a key: what a cluster connection
	 * routes the command by
	 * @param key its key
	 * @param value its value, if it has one
	 * @param number its number, such as a time to live, if its layout has one
	 * @param pending the batch's count of commands waiting for their outcome
	 */
	LogCommand(Layout layout, CommandArgs<byte[], byte[]> keyArgs, byte[] key, byte @Nullable [] value, long number,
			PendingReplies pending) {
		super(layout.type, new LogReplyOutput(), keyArgs);
		this.layout = layout;
		this.key = key;
		this.value = value;
		this.number = number;
		this.pending = pending;
	}

	@Override
	public void encode(ByteBuf buf) {
		byte[] number = this.layout.numbered ? ascii(Long.toString(this.number)) : null;
		buf.ensureWritable(this.layout.head.length + bulkLength(this.key) + this.layout.beforeValue.length
				+ ((this.value != null) ? bulkLength(this.value) : 0) + this.layout.afterValue.length
				+ ((number != null) ? bulkLength(number) : 0));
		buf.writeBytes(this.layout.head);
		writeBulk(buf, this.key);
		buf.writeBytes(this.layout.beforeValue);
		if (this.value != null) {
			writeBulk(buf, this.value);
		}
		buf.writeBytes(this.layout.afterValue);
		if (number != null) {
			writeBulk(buf, number);
		}
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

	private static int bulkLength(byte[] bytes) {
		return 1 + RespCommandBuffer.digits(bytes.length) + 2 + bytes.length + 2;
	}

	private static void writeBulk(ByteBuf buf, byte[] bytes) {
		buf.writeByte('$');
		writeDecimal(buf, bytes.length);
		buf.writeBytes(CRLF);
		buf.writeBytes(bytes);
		buf.writeBytes(CRLF);
	}

	// Digits from the last: a division by the constant 10 is a multiplication.
	private static void writeDecimal(ByteBuf buf, int value) {
		int start = buf.writerIndex();
		int end = start + RespCommandBuffer.digits(value);
		buf.writerIndex(end);
		int rest = value;
		for (int index = end - 1; index >= start; index--) {
			buf.setByte(index, '0' + rest % 10);
			rest /= 10;
		}
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.US_ASCII);
	}

	/**
	 * The parts of a command that are the same for every command of its kind, encoded
	 * once: {@code *count $type}, then, around the value, its constant arguments.
	 */
	static final class Layout {

		private final CommandType type;

		private final byte[] head;

		private final byte[] beforeValue;

		private final byte[] afterValue;

		// Whether the command ends with a number, such as a time to live.
		private final boolean numbered;

		private Layout(CommandType type, int arguments, String[] beforeValue, String[] afterValue,
				boolean numbered) {
			this.type = type;
			this.numbered = numbered;
			this.head = utf8("*" + (1 + arguments) + "\r\n" + bulk(type.name()));
			this.beforeValue = utf8(bulks(beforeValue));
			this.afterValue = utf8(bulks(afterValue));
		}

		/**
		 * {@code SET {key} {value} NX EX {number}}.
		 * @return the layout
		 */
		static Layout setIfAbsent() {
			return new Layout(CommandType.SET, 5, new String[0], new String[] { "NX", "EX" }, true);
		}

		/**
		 * {@code XADD {key} MAXLEN ~ {max-length} * {field} {value}}.
		 * @param maxLength the approximate number of entries the stream keeps
		 * @param field the field of the entry
		 * @return the layout
		 */
		static Layout xAdd(long maxLength, String field) {
			return new Layout(CommandType.XADD, 7,
					new String[] { "MAXLEN", "~", Long.toString(maxLength), "*", field }, new String[0],
					false);
		}

		/**
		 * {@code PUBLISH {key} {value}} or {@code SPUBLISH {key} {value}}.
		 * @param type {@code PUBLISH} or {@code SPUBLISH}
		 * @return the layout
		 */
		static Layout publish(CommandType type) {
			return new Layout(type, 2, new String[0], new String[0], false);
		}

		/**
		 * {@code EXPIRE {key} {number}}.
		 * @return the layout
		 */
		static Layout expire() {
			return new Layout(CommandType.EXPIRE, 2, new String[0], new String[0], true);
		}

		private static String bulks(String[] arguments) {
			StringBuilder bulks = new StringBuilder();
			for (String argument : arguments) {
				bulks.append(bulk(argument));
			}
			return bulks.toString();
		}

		private static String bulk(String argument) {
			return "$" + utf8(argument).length + "\r\n" + argument + "\r\n";
		}

		private static byte[] utf8(String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}

	}

}
