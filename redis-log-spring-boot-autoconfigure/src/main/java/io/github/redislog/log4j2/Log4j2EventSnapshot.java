package io.github.redislog.log4j2;

import java.util.Map;
import java.util.Objects;

import io.github.redislog.delivery.LogMessage;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.Marker;
import org.apache.logging.log4j.ThreadContext;
import org.apache.logging.log4j.ThreadContext.ContextStack;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.impl.ThrowableProxy;
import org.apache.logging.log4j.core.time.Instant;
import org.apache.logging.log4j.core.time.MutableInstant;
import org.apache.logging.log4j.message.Message;
import org.apache.logging.log4j.message.SimpleMessage;
import org.apache.logging.log4j.util.StringMap;
import org.jspecify.annotations.Nullable;

/**
 * What the layout of an event without an exception reads, copied from an event that Log4j2
 * may reuse once the log call returns: its strings, its frozen context data and, when the
 * pattern prints it, the caller's location. It is also the record's
 * {@link LogMessage.Deferred deferred message}, with the capture that lays it out: one
 * object per record, where a {@code Log4jLogEvent} took its builder, an instant of its own
 * and a message wrapper on the logging thread. The message is kept as its text and wrapped
 * when the layout asks for it; the instant is the record's, given to the layout as Log4j2's
 * on the worker. Snapshots of the same event with the same layout are equal.
 *
 * @author Redis Log contributors
 */
final class Log4j2EventSnapshot implements LogEvent, LogMessage.Deferred<LogEvent> {

	private static final long serialVersionUID = 1L;

	private final String loggerName;

	private final @Nullable String loggerFqcn;

	private final Level level;

	private final @Nullable Marker marker;

	// The message's text, or null when its structure is kept instead.
	private final @Nullable String formattedMessage;

	// A structured message (a map, JSON), kept for the structured formats; null otherwise.
	private final @Nullable Message structuredMessage;

	private final StringMap contextData;

	private final ContextStack contextStack;

	private final String threadName;

	private final long threadId;

	private final int threadPriority;

	private final java.time.Instant instant;

	private final long nanoTime;

	private final @Nullable StackTraceElement source;

	private final boolean includeLocation;

	private final transient LogMessage.Layout<LogEvent> layout;

	/**
	 * Take a snapshot of an event.
	 * @param event the event
	 * @param formattedMessage its formatted message, truncated if oversized, or
	 * {@code null} if its structure is kept
	 * @param structuredMessage its message if the structured formats should read its
	 * structure, or {@code null}
	 * @param contextData its context data, frozen
	 * @param instant when it was created
	 * @param location whether to keep the caller's location, which the pattern prints
	 * @param layout lays the snapshot out on the worker
	 */
	Log4j2EventSnapshot(LogEvent event, @Nullable String formattedMessage, @Nullable Message structuredMessage,
			StringMap contextData, java.time.Instant instant, boolean location, LogMessage.Layout<LogEvent> layout) {
		this.loggerName = event.getLoggerName();
		this.loggerFqcn = event.getLoggerFqcn();
		this.level = event.getLevel();
		this.marker = event.getMarker();
		this.formattedMessage = formattedMessage;
		this.structuredMessage = structuredMessage;
		this.contextData = contextData;
		ContextStack contextStack = event.getContextStack();
		this.contextStack = (contextStack != null) ? contextStack : ThreadContext.EMPTY_STACK;
		this.threadName = event.getThreadName();
		this.threadId = event.getThreadId();
		this.threadPriority = event.getThreadPriority();
		this.instant = instant;
		this.nanoTime = event.getNanoTime();
		this.source = location ? event.getSource() : null;
		this.includeLocation = location;
		this.layout = layout;
	}

	@Override
	public LogEvent event() {
		return this;
	}

	@Override
	public LogMessage.Layout<LogEvent> layout() {
		return this.layout;
	}

	@Override
	public LogEvent toImmutable() {
		return this;
	}

	@Override
	@Deprecated
	public Map<String, String> getContextMap() {
		return new ContextDataMap(this.contextData);
	}

	@Override
	public StringMap getContextData() {
		return this.contextData;
	}

	@Override
	public ContextStack getContextStack() {
		return this.contextStack;
	}

	@Override
	public @Nullable String getLoggerFqcn() {
		return this.loggerFqcn;
	}

	@Override
	public Level getLevel() {
		return this.level;
	}

	@Override
	public String getLoggerName() {
		return this.loggerName;
	}

	@Override
	public @Nullable Marker getMarker() {
		return this.marker;
	}

	@Override
	public Message getMessage() {
		return (this.structuredMessage != null) ? this.structuredMessage : new SimpleMessage(this.formattedMessage);
	}

	@Override
	public long getTimeMillis() {
		// As Log4j2's instant derives it.
		return this.instant.toEpochMilli();
	}

	@Override
	public Instant getInstant() {
		MutableInstant instant = new MutableInstant();
		instant.initFromEpochSecond(this.instant.getEpochSecond(), this.instant.getNano());
		return instant;
	}

	@Override
	public @Nullable StackTraceElement getSource() {
		return this.source;
	}

	@Override
	public String getThreadName() {
		return this.threadName;
	}

	@Override
	public long getThreadId() {
		return this.threadId;
	}

	@Override
	public int getThreadPriority() {
		return this.threadPriority;
	}

	/**
	 * Return no exception: an event with one is laid out on the logging thread.
	 * @return {@code null}
	 */
	@Override
	public @Nullable Throwable getThrown() {
		return null;
	}

	@Override
	public @Nullable ThrowableProxy getThrownProxy() {
		return null;
	}

	@Override
	public boolean isEndOfBatch() {
		return false;
	}

	/**
	 * Do nothing: a snapshot does not change.
	 * @param endOfBatch ignored
	 */
	@Override
	public void setEndOfBatch(boolean endOfBatch) {
	}

	@Override
	public boolean isIncludeLocation() {
		return this.includeLocation;
	}

	/**
	 * Do nothing: a snapshot does not change.
	 * @param locationRequired ignored
	 */
	@Override
	public void setIncludeLocation(boolean locationRequired) {
	}

	@Override
	public long getNanoTime() {
		return this.nanoTime;
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof Log4j2EventSnapshot that && this.threadId == that.threadId
				&& this.threadPriority == that.threadPriority && this.nanoTime == that.nanoTime
				&& this.includeLocation == that.includeLocation && this.loggerName.equals(that.loggerName)
				&& Objects.equals(this.loggerFqcn, that.loggerFqcn) && this.level.equals(that.level)
				&& Objects.equals(this.marker, that.marker)
				&& Objects.equals(this.formattedMessage, that.formattedMessage)
				&& Objects.equals(this.structuredMessage, that.structuredMessage)
				&& this.contextData.equals(that.contextData) && this.contextStack.equals(that.contextStack)
				&& this.threadName.equals(that.threadName) && this.instant.equals(that.instant)
				&& Objects.equals(this.source, that.source) && Objects.equals(this.layout, that.layout);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.instant, this.level, this.loggerName, this.threadName, this.formattedMessage,
				this.structuredMessage);
	}

	@Override
	public String toString() {
		return "Log4j2EventSnapshot[" + this.instant + " " + this.level + " [" + this.threadName + "] "
				+ this.loggerName + " - " + getMessage().getFormattedMessage() + ", contextData=" + this.contextData
				+ ((this.marker != null) ? ", marker=" + this.marker : "") + ", layout=" + this.layout + "]";
	}

}
