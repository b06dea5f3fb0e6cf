package io.github.redislog.logback;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.redislog.delivery.LogMessage;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.CallerData;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.LoggerContextVO;
import org.jspecify.annotations.Nullable;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;

/**
 * What the layout of an event without an exception reads, taken from an event prepared
 * for deferred processing: its strings, not its arguments. A queued record so holds the
 * formatted message, not the objects it was formatted from, and the queue's byte bound
 * stays an honest one. It is also the record's {@link LogMessage.Deferred deferred message},
 * with the capture that lays it out: one object per record rather than two. It keeps the
 * event's instant only, from which Logback derives its milliseconds and nanoseconds.
 * Snapshots of the same event with the same layout are equal.
 *
 * @author Redis Log contributors
 */
final class LoggingEventSnapshot implements ILoggingEvent, LogMessage.Deferred<ILoggingEvent> {

	private final String threadName;

	private final Level level;

	private final String message;

	private final @Nullable String formattedMessage;

	private final String loggerName;

	private final LoggerContextVO loggerContext;

	private final StackTraceElement[] callerData;

	private final @Nullable List<Marker> markers;

	private final Map<String, String> mdc;

	private final Instant instant;

	private final long sequenceNumber;

	private final @Nullable List<KeyValuePair> keyValuePairs;

	private final LogMessage.Layout<ILoggingEvent> layout;

	/**
	 * Take a snapshot of an event.
	 * @param event the event, prepared for deferred processing
	 * @param formattedMessage the event's formatted message, truncated if oversized
	 * @param keyValuePairs the event's key-value pairs, frozen
	 * @param withCallerData whether to keep the caller's location, which the pattern prints
	 * @param layout lays the snapshot out on the worker
	 */
	LoggingEventSnapshot(ILoggingEvent event, @Nullable String formattedMessage,
			@Nullable List<KeyValuePair> keyValuePairs, boolean withCallerData,
			LogMessage.Layout<ILoggingEvent> layout) {
		this.threadName = event.getThreadName();
		this.level = event.getLevel();
		this.message = event.getMessage();
		this.formattedMessage = formattedMessage;
		this.loggerName = event.getLoggerName();
		this.loggerContext = event.getLoggerContextVO();
		this.callerData = withCallerData ? event.getCallerData() : CallerData.EMPTY_CALLER_DATA_ARRAY;
		this.markers = event.getMarkerList();
		this.mdc = event.getMDCPropertyMap();
		this.instant = event.getInstant();
		this.sequenceNumber = event.getSequenceNumber();
		this.keyValuePairs = keyValuePairs;
		this.layout = layout;
	}

	@Override
	public ILoggingEvent event() {
		return this;
	}

	@Override
	public LogMessage.Layout<ILoggingEvent> layout() {
		return this.layout;
	}

	@Override
	public String getThreadName() {
		return this.threadName;
	}

	@Override
	public Level getLevel() {
		return this.level;
	}

	@Override
	public String getMessage() {
		return this.message;
	}

	/**
	 * Return no arguments: the message is already formatted.
	 * @return {@code null}
	 */
	@Override
	public Object @Nullable [] getArgumentArray() {
		return null;
	}

	@Override
	public @Nullable String getFormattedMessage() {
		return this.formattedMessage;
	}

	@Override
	public String getLoggerName() {
		return this.loggerName;
	}

	@Override
	public LoggerContextVO getLoggerContextVO() {
		return this.loggerContext;
	}

	@Override
	public @Nullable IThrowableProxy getThrowableProxy() {
		return null;
	}

	@Override
	public StackTraceElement[] getCallerData() {
		return this.callerData;
	}

	@Override
	public boolean hasCallerData() {
		return this.callerData.length > 0;
	}

	@Override
	public @Nullable List<Marker> getMarkerList() {
		return this.markers;
	}

	@Override
	public Map<String, String> getMDCPropertyMap() {
		return this.mdc;
	}

	@Override
	@Deprecated
	public Map<String, String> getMdc() {
		return this.mdc;
	}

	@Override
	public long getTimeStamp() {
		// As LoggingEvent derives it from its instant.
		return this.instant.toEpochMilli();
	}

	@Override
	public Instant getInstant() {
		return this.instant;
	}

	@Override
	public int getNanoseconds() {
		return this.instant.getNano();
	}

	@Override
	public long getSequenceNumber() {
		return this.sequenceNumber;
	}

	@Override
	public @Nullable List<KeyValuePair> getKeyValuePairs() {
		return this.keyValuePairs;
	}

	@Override
	public void prepareForDeferredProcessing() {
		// Nothing left to prepare.
	}

	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		return other instanceof LoggingEventSnapshot that && this.sequenceNumber == that.sequenceNumber
				&& this.level.equals(that.level) && this.loggerName.equals(that.loggerName)
				&& this.threadName.equals(that.threadName) && Objects.equals(this.message, that.message)
				&& Objects.equals(this.formattedMessage, that.formattedMessage) && this.instant.equals(that.instant)
				&& this.mdc.equals(that.mdc) && Objects.equals(this.markers, that.markers)
				&& Objects.equals(this.keyValuePairs, that.keyValuePairs)
				&& Arrays.equals(this.callerData, that.callerData) && this.loggerContext.equals(that.loggerContext)
				&& this.layout.equals(that.layout);
	}

	@Override
	public int hashCode() {
		return Objects.hash(this.instant, this.level, this.loggerName, this.threadName, this.formattedMessage);
	}

	@Override
	public String toString() {
		return "LoggingEventSnapshot[" + this.instant + " " + this.level + " [" + this.threadName + "] "
				+ this.loggerName + " - " + this.formattedMessage + ", mdc=" + this.mdc
				+ ((this.keyValuePairs != null) ? ", keyValuePairs=" + this.keyValuePairs : "")
				+ ((this.markers != null) ? ", markers=" + this.markers : "") + ", layout=" + this.layout + "]";
	}

}
