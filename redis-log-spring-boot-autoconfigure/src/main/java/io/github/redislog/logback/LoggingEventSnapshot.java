package io.github.redislog.logback;

import java.time.Instant;
import java.util.List;
import java.util.Map;

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
 * stays an honest one.
 *
 * @author Redis Log contributors
 */
final class LoggingEventSnapshot implements ILoggingEvent {

	private final String threadName;

	private final Level level;

	private final String message;

	private final @Nullable String formattedMessage;

	private final String loggerName;

	private final LoggerContextVO loggerContext;

	private final StackTraceElement[] callerData;

	private final @Nullable List<Marker> markers;

	private final Map<String, String> mdc;

	private final long timeStamp;

	private final int nanoseconds;

	private final Instant instant;

	private final long sequenceNumber;

	private final @Nullable List<KeyValuePair> keyValuePairs;

	/**
	 * Take a snapshot of an event.
	 * @param event the event, prepared for deferred processing
	 * @param formattedMessage the event's formatted message, truncated if oversized
	 * @param keyValuePairs the event's key-value pairs, frozen
	 * @param withCallerData whether to keep the caller's location, which the pattern prints
	 */
	LoggingEventSnapshot(ILoggingEvent event, @Nullable String formattedMessage,
			@Nullable List<KeyValuePair> keyValuePairs, boolean withCallerData) {
		this.threadName = event.getThreadName();
		this.level = event.getLevel();
		this.message = event.getMessage();
		this.formattedMessage = formattedMessage;
		this.loggerName = event.getLoggerName();
		this.loggerContext = event.getLoggerContextVO();
		this.callerData = withCallerData ? event.getCallerData() : CallerData.EMPTY_CALLER_DATA_ARRAY;
		this.markers = event.getMarkerList();
		this.mdc = event.getMDCPropertyMap();
		this.timeStamp = event.getTimeStamp();
		this.nanoseconds = event.getNanoseconds();
		this.instant = event.getInstant();
		this.sequenceNumber = event.getSequenceNumber();
		this.keyValuePairs = keyValuePairs;
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
		return this.timeStamp;
	}

	@Override
	public Instant getInstant() {
		return this.instant;
	}

	@Override
	public int getNanoseconds() {
		return this.nanoseconds;
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

}
