package io.github.redislog.web;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * The frames waiting for one client, counted in bytes against a bound that the queue
 * reports on but does not enforce: the connection decides what a frame that does not fit
 * means. Frames are added by any thread and taken by one drain at a time.
 *
 * @author Redis Log contributors
 */
final class FrameQueue {

	private final Queue<byte[]> frames = new ConcurrentLinkedQueue<>();

	private final AtomicLong bytes = new AtomicLong();

	private final long maxBytes;

	/**
	 * Create a queue.
	 * @param maxBytes most bytes that should wait
	 */
	FrameQueue(long maxBytes) {
		this.maxBytes = maxBytes;
	}

	/**
	 * Return whether a frame fits within the bound.
	 * @param frame the frame
	 * @return whether it fits
	 */
	boolean fits(byte[] frame) {
		return this.bytes.get() + frame.length <= this.maxBytes;
	}

	/**
	 * Add a frame, whatever the queue holds.
	 * @param frame the frame
	 * @return the bytes that waited before it
	 */
	long add(byte[] frame) {
		long before = this.bytes.getAndAdd(frame.length);
		this.frames.add(frame);
		return before;
	}

	/**
	 * Take the oldest frame.
	 * @return the frame, or {@code null} if none waits
	 */
	byte @Nullable [] poll() {
		byte[] frame = this.frames.poll();
		if (frame != null) {
			this.bytes.addAndGet(-frame.length);
		}
		return frame;
	}

	/**
	 * Drop every frame.
	 */
	void clear() {
		this.frames.clear();
		this.bytes.set(0);
	}

	/**
	 * Return how many bytes wait.
	 * @return the bytes queued
	 */
	long bytes() {
		return this.bytes.get();
	}

	/**
	 * Return how many more bytes fit within the bound.
	 * @return the room left, possibly negative
	 */
	long room() {
		return this.maxBytes - this.bytes.get();
	}

	/**
	 * Return whether the queue is less than half full.
	 * @return whether there is room for a page of entries
	 */
	boolean hasRoom() {
		return this.bytes.get() < this.maxBytes / 2;
	}

}
