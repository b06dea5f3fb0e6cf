package io.github.redislog.web;

import java.io.IOException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.jspecify.annotations.Nullable;

/**
 * One client's event stream on the wire, written with the Servlet API's non-blocking
 * output: a write never waits for the client, so no thread is ever held by one that
 * reads slowly or not at all. Frames wait in a {@link FrameQueue} bounded in bytes; a
 * client whose queue would outgrow it, or that has taken nothing of what waits for it within the send
 * timeout, is disconnected.
 * <p>
 * Writes happen only in a drain, one at a time under a lock that is never held while
 * waiting: on a sender thread after a frame is queued, or on the container's thread when
 * it reports that the client can take more. Nothing touches the response once the
 * request is complete, so a disconnect leaves nothing for the container to report.
 *
 * @author Redis Log contributors
 */
final class SseConnection implements WriteListener, AsyncListener {

	private final AsyncContext async;

	private final Executor senders;

	private final FrameQueue frames;

	private final Runnable onRoom;

	private final Consumer<StreamEnd> onEnd;

	private final AtomicBoolean scheduled = new AtomicBoolean();

	private final AtomicReference<@Nullable StreamEnd> end = new AtomicReference<>();

	private final AtomicBoolean ended = new AtomicBoolean();

	private final Object lock = new Object();

	// Guarded by the lock.
	private @Nullable ServletOutputStream output;

	// Guarded by the lock.
	private boolean unflushed;

	// Guarded by the lock.
	private boolean complete;

	// Whether the client took everything written so far, as the output last reported.
	private volatile boolean ready = true;

	private volatile long lastProgressNanos = System.nanoTime();

	/**
	 * Create a connection; {@link #start()} lets the container call it.
	 * @param async the request's async context, not yet written to
	 * @param senders runs the drains
	 * @param maxBufferedBytes most bytes waiting for this client
	 * @param onRoom told after a drain that left the queue less than half full
	 * @param onEnd told once, with the reason, when the stream has ended
	 */
	SseConnection(AsyncContext async, Executor senders, long maxBufferedBytes, Runnable onRoom,
			Consumer<StreamEnd> onEnd) {
		this.async = async;
		this.senders = senders;
		this.frames = new FrameQueue(maxBufferedBytes);
		this.onRoom = onRoom;
		this.onEnd = onEnd;
	}

	/**
	 * Register with the container. The container calls {@link #onWritePossible()} once
	 * the request's own dispatch has returned, so nothing is written before the filters
	 * have set their headers.
	 * @throws IOException if the output cannot be had
	 */
	void start() throws IOException {
		this.async.addListener(this);
		this.async.getResponse().getOutputStream().setWriteListener(this);
	}

	/**
	 * Queue a frame, or disconnect the client if the frame would not fit its buffer.
	 * @param frame the frame
	 * @return whether the frame was queued
	 */
	boolean send(byte[] frame) {
		if (this.end.get() != null) {
			return false;
		}
		if (!this.frames.fits(frame)) {
			end(StreamEnd.SLOW);
			return false;
		}
		return queue(frame);
	}

	/**
	 * Queue a frame whatever the buffer holds; the caller bounds what it queues this way.
	 * @param frame the frame
	 * @return whether the frame was queued
	 */
	boolean sendUnbounded(byte[] frame) {
		return (this.end.get() == null) && queue(frame);
	}

	/**
	 * Queue the keepalive comment, unless data waits for the client anyway.
	 */
	void keepalive() {
		if (this.frames.bytes() == 0) {
			send(SseFrames.KEEPALIVE);
		}
	}

	/**
	 * Return how many more bytes fit the client's buffer.
	 * @return the room left, possibly negative
	 */
	long room() {
		return this.frames.room();
	}

	/**
	 * Return how many bytes wait for this client.
	 * @return the bytes queued and not yet written
	 */
	long bufferedBytes() {
		return this.frames.bytes();
	}

	/**
	 * Return whether the client's buffer is less than half full.
	 * @return whether there is room for a page of entries
	 */
	boolean hasRoom() {
		return this.frames.hasRoom();
	}

	/**
	 * Return whether the stream has ended or is ending.
	 * @return whether nothing more is sent
	 */
	boolean isEnding() {
		return this.end.get() != null;
	}

	/**
	 * End the stream: drop what waits, send the reason's final event if the client can
	 * take it now, and complete the request.
	 * @param reason why
	 */
	void end(StreamEnd reason) {
		if (this.end.compareAndSet(null, reason)) {
			schedule();
		}
	}

	/**
	 * Disconnect the client if something has waited for it longer than the timeout
	 * without it taking anything.
	 * @param nowNanos the current {@link System#nanoTime()}
	 * @param timeoutNanos the send timeout
	 */
	void checkProgress(long nowNanos, long timeoutNanos) {
		boolean waiting = !this.ready || this.frames.bytes() > 0;
		if (waiting && nowNanos - this.lastProgressNanos > timeoutNanos) {
			end(StreamEnd.SLOW);
		}
	}

	@Override
	public void onWritePossible() {
		synchronized (this.lock) {
			if (this.output == null && !this.complete) {
				try {
					this.output = this.async.getResponse().getOutputStream();
				}
				catch (IOException | RuntimeException ex) {
					this.end.compareAndSet(null, StreamEnd.CLIENT_CLOSED);
				}
			}
		}
		this.ready = true;
		this.lastProgressNanos = System.nanoTime();
		drain();
	}

	@Override
	public void onError(Throwable ex) {
		gone();
	}

	@Override
	public void onComplete(AsyncEvent event) {
		synchronized (this.lock) {
			this.complete = true;
		}
		this.end.compareAndSet(null, StreamEnd.CLIENT_CLOSED);
		ended();
	}

	@Override
	public void onTimeout(AsyncEvent event) {
		// On the container's thread, which answers with an error unless the request completes here.
		this.end.compareAndSet(null, StreamEnd.TIMEOUT);
		drain();
	}

	@Override
	public void onError(AsyncEvent event) {
		gone();
	}

	@Override
	public void onStartAsync(AsyncEvent event) {
	}

	private boolean queue(byte[] frame) {
		if (this.frames.add(frame) == 0 && this.ready) {
			// Nothing was waiting: the send timeout counts from now.
			this.lastProgressNanos = System.nanoTime();
		}
		schedule();
		return true;
	}

	// The client is gone: complete within the container's callback, or it dispatches an error.
	private void gone() {
		this.end.compareAndSet(null, StreamEnd.CLIENT_CLOSED);
		synchronized (this.lock) {
			this.complete = true;
			this.frames.clear();
		}
		complete();
	}

	private void schedule() {
		if (!this.scheduled.compareAndSet(false, true)) {
			return;
		}
		try {
			this.senders.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			// The senders have stopped: end here.
			this.scheduled.set(false);
			this.end.compareAndSet(null, StreamEnd.SHUTDOWN);
			drain();
		}
	}

	private void drain() {
		this.scheduled.set(false);
		boolean room = false;
		boolean completing = false;
		synchronized (this.lock) {
			if (this.complete) {
				return;
			}
			try {
				ServletOutputStream output = this.output;
				if (this.end.get() != null) {
					farewell();
					completing = true;
				}
				else if (output != null) {
					room = write(output);
				}
			}
			catch (IOException | RuntimeException ex) {
				this.end.compareAndSet(null, StreamEnd.CLIENT_CLOSED);
				this.complete = true;
				completing = true;
			}
		}
		if (completing) {
			complete();
		}
		else if (room) {
			this.onRoom.run();
		}
	}

	// Called with the lock held: writes while the client takes it, and tells whether there is room.
	private boolean write(ServletOutputStream output) throws IOException {
		while (output.isReady()) {
			byte[] frame = this.frames.poll();
			if (frame == null) {
				if (!this.unflushed) {
					break;
				}
				this.unflushed = false;
				output.flush();
				this.lastProgressNanos = System.nanoTime();
				continue;
			}
			output.write(frame);
			this.unflushed = true;
			this.lastProgressNanos = System.nanoTime();
		}
		// Not ready: the container calls onWritePossible once the client took it all.
		this.ready = output.isReady();
		return hasRoom();
	}

	// Called with the lock held: says why, if the client can take it now, and writes no more.
	private void farewell() {
		this.complete = true;
		this.frames.clear();
		StreamEnd reason = this.end.get();
		byte[] last = (reason != null) ? reason.frame() : null;
		ServletOutputStream output = this.output;
		if (last != null && output != null) {
			try {
				if (output.isReady()) {
					output.write(last);
				}
				if (output.isReady()) {
					output.flush();
				}
			}
			catch (IOException | RuntimeException ex) {
				// Gone meanwhile: nothing more to say.
			}
		}
	}

	private void complete() {
		try {
			this.async.complete();
		}
		catch (RuntimeException ex) {
			// Completed by the container meanwhile.
		}
		ended();
	}

	private void ended() {
		if (this.ended.compareAndSet(false, true)) {
			StreamEnd reason = this.end.get();
			this.onEnd.accept((reason != null) ? reason : StreamEnd.CLIENT_CLOSED);
		}
	}

}
