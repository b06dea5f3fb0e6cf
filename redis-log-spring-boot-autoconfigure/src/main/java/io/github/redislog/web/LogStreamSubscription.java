package io.github.redislog.web;

import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter.DataWithMediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * One client's event stream. Producers (the request thread replaying, the reader fanning
 * out) only queue events; a sender thread writes them to the emitter, one drain at a time,
 * so a client that reads slowly never blocks a producer. A client whose queue outgrows its
 * buffer is disconnected and resumes from Redis when it reconnects.
 *
 * @author Redis Log contributors
 */
final class LogStreamSubscription {

	private static final MediaType TEXT_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private static final long[] RECHECK_DELAYS_MILLIS = { 20, 100, 500 };

	private static final Event KEEPALIVE = new Event(SseEmitter.event().comment("keepalive").build(), 16, false);

	private final SseEmitter emitter;

	private final Executor senders;

	private final long maxBufferedBytes;

	private final Consumer<LogStreamSubscription> onFinish;

	private final Queue<Event> events = new ConcurrentLinkedQueue<>();

	private final AtomicLong bufferedBytes = new AtomicLong();

	private final AtomicBoolean draining = new AtomicBoolean();

	// Touched by the drain only, which runs on one thread at a time.
	private int rechecks;

	private volatile @Nullable BooleanSupplier recheck;

	private volatile boolean closed;

	private volatile boolean finished;

	// Touched by the reader thread only: the id of the last entry queued for this client.
	private String position = StreamIds.ZERO;

	/**
	 * Create a subscription.
	 * @param emitter the client's emitter
	 * @param senders runs the drains
	 * @param maxBufferedBytes most data, estimated, queued for this client
	 * @param recheck asked before the first entry is sent, for a stream the client was let
	 * into before it was known to be theirs (a few times over a second, until it allows);
	 * {@code null} when there is nothing to check
	 * @param onFinish run once the emitter is complete
	 */
	LogStreamSubscription(SseEmitter emitter, Executor senders, long maxBufferedBytes,
			@Nullable BooleanSupplier recheck, Consumer<LogStreamSubscription> onFinish) {
		this.emitter = emitter;
		this.senders = senders;
		this.maxBufferedBytes = maxBufferedBytes;
		this.recheck = recheck;
		this.onFinish = onFinish;
		emitter.onCompletion(this::close);
		emitter.onError((ex) -> close());
		emitter.onTimeout(this::timedOut);
	}

	/**
	 * Queue the first event: a comment that commits the response, and the reconnection
	 * delay the browser should use.
	 * @param reconnectMillis the reconnection delay
	 */
	void hello(long reconnectMillis) {
		queue(new Event(SseEmitter.event().reconnectTime(reconnectMillis).comment("connected").build(), 32, false),
				false);
	}

	/**
	 * Queue an entry of the replay. The replay is bounded by the maximum tail, not by the
	 * buffer, so it never disconnects the client.
	 * @param entry the entry
	 */
	void replay(LogStreamEntry entry) {
		queue(Event.of(entry), false);
	}

	/**
	 * Queue a live entry, or disconnect the client if its buffer is full.
	 * @param event the entry's event
	 */
	void live(Event event) {
		queue(event, true);
	}

	/**
	 * Queue a keepalive comment, or disconnect the client if its buffer is full.
	 */
	void keepalive() {
		queue(KEEPALIVE, true);
	}

	/**
	 * Stop sending and complete the emitter on a sender thread.
	 */
	void close() {
		this.closed = true;
		schedule();
	}

	boolean isClosed() {
		return this.closed;
	}

	String position() {
		return this.position;
	}

	void position(String position) {
		this.position = position;
	}

	private void timedOut() {
		this.closed = true;
		// Within the timeout callback, or Spring MVC answers the timeout with an error.
		this.emitter.complete();
	}

	private void queue(Event event, boolean bounded) {
		if (this.closed) {
			return;
		}
		if (bounded && this.bufferedBytes.get() + event.size() > this.maxBufferedBytes) {
			close();
			return;
		}
		this.bufferedBytes.addAndGet(event.size());
		this.events.add(event);
		schedule();
	}

	private void schedule() {
		if (!this.draining.compareAndSet(false, true)) {
			return;
		}
		try {
			this.senders.execute(this::drain);
		}
		catch (RejectedExecutionException ex) {
			// The reader is stopping: nothing more will be sent.
			this.closed = true;
			this.draining.set(false);
		}
	}

	private void drain() {
		boolean waiting = false;
		try {
			Event event;
			while (!this.closed && (event = this.events.peek()) != null) {
				if (event.entry() && this.recheck != null && !allowed()) {
					waiting = !this.closed;
					break;
				}
				this.events.poll();
				this.bufferedBytes.addAndGet(-event.size());
				send(event);
			}
			if (this.closed) {
				finish();
			}
		}
		finally {
			if (!waiting) {
				this.draining.set(false);
			}
		}
		if (waiting) {
			recheckLater();
		}
		else if (this.closed ? !this.finished : !this.events.isEmpty()) {
			schedule();
		}
	}

	// The owner of a new context is written in the same pipeline as its first entries,
	// just after them: a denial is final only once it has had a moment to arrive.
	private boolean allowed() {
		BooleanSupplier check = this.recheck;
		try {
			if (check == null || check.getAsBoolean()) {
				this.recheck = null;
				return true;
			}
		}
		catch (RuntimeException ex) {
			// Counts as a denial.
		}
		if (this.rechecks == RECHECK_DELAYS_MILLIS.length) {
			this.closed = true;
		}
		return false;
	}

	private void recheckLater() {
		long delay = RECHECK_DELAYS_MILLIS[this.rechecks++];
		// Still draining: the delayed drain is the only one until it ends.
		CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS, this.senders).execute(this::drain);
	}

	private void send(Event event) {
		try {
			this.emitter.send(event.frame());
		}
		catch (Exception ex) {
			// The client is gone or the emitter is complete: stop here.
			this.closed = true;
		}
	}

	private void finish() {
		if (this.finished) {
			return;
		}
		this.finished = true;
		this.events.clear();
		this.bufferedBytes.set(0);
		try {
			this.emitter.complete();
		}
		catch (RuntimeException ex) {
			// Already complete or failed: nothing left to do.
		}
		this.onFinish.accept(this);
	}

	/**
	 * An event ready to send, shared by every client of a stream.
	 *
	 * @param frame the SSE frame
	 * @param size the frame's estimated size in bytes
	 * @param entry whether it carries a stream entry
	 */
	record Event(Set<DataWithMediaType> frame, long size, boolean entry) {

		static Event of(LogStreamEntry entry) {
			Set<DataWithMediaType> frame = SseEmitter.event().id(entry.id()).data(entry.json(), TEXT_UTF8).build();
			return new Event(frame, entry.json().length() + entry.id().length() + 16, true);
		}

	}

}
