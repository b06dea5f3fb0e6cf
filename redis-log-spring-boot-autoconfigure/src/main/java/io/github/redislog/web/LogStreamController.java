package io.github.redislog.web;

import java.time.Duration;

import io.github.redislog.servlet.RequestContextIdResolver;
import io.github.redislog.web.LogStreamLimits.Permit;
import io.github.redislog.web.StreamAccess.Outcome;
import io.github.redislog.web.StreamAccess.Target;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The live view's streams under {@code redis-log.web.base-path} (its page is
 * {@link LogViewController}'s): the Server-Sent Events of the caller's own context, of the
 * global stream and of any other context, and the purge of a context's stream. Each event's id is the stream entry id; a
 * reconnect with {@code Last-Event-ID} (or {@code ?since=}) resumes right after it.
 * <p>
 * Unauthenticated requests get 401 and streams the {@link LogStreamAccessPolicy} denies
 * 403, whether or not they exist; a user beyond the {@link LogStreamLimits} gets 429 with
 * {@code Retry-After}. The policy is asked again at every keepalive, and a stream ends
 * with an {@code end} event saying why when its viewer may no longer read it or signs out.
 *
 * @author Redis Log contributors
 */
@Controller
@RequestMapping("${redis-log.web.base-path:/redis-log}")
public final class LogStreamController {

	private static final String LAST_EVENT_ID = "Last-Event-ID";

	private static final String EVENT_STREAM = "text/event-stream;charset=UTF-8";

	private static final Duration RETRY_AFTER = Duration.ofSeconds(5);

	private final LogStreams streams;

	private final LogStreamReader reader;

	private final LogStreamAccessPolicy accessPolicy;

	private final LogStreamLimits limits;

	private final LogViewerResolver viewers;

	private final StreamAccess access;

	private final int defaultTail;

	private final int maxTail;

	private final Duration streamTimeout;

	/**
	 * Create a controller.
	 * @param streams reads and purges the streams
	 * @param reader the shared reader
	 * @param accessPolicy decides who reads what
	 * @param limits how many streams may be open
	 * @param contextIdResolver resolves the caller's own context
	 * @param defaultTail entries replayed when the request gives no {@code tail}
	 * @param maxTail most entries replayed
	 * @param streamTimeout longest time one event stream stays open
	 */
	public LogStreamController(LogStreams streams, LogStreamReader reader, LogStreamAccessPolicy accessPolicy,
			LogStreamLimits limits, RequestContextIdResolver contextIdResolver, int defaultTail, int maxTail,
			Duration streamTimeout) {
		Assert.notNull(streams, "'streams' must not be null");
		Assert.notNull(reader, "'reader' must not be null");
		Assert.notNull(accessPolicy, "'accessPolicy' must not be null");
		Assert.notNull(limits, "'limits' must not be null");
		Assert.notNull(contextIdResolver, "'contextIdResolver' must not be null");
		Assert.isTrue(defaultTail >= 0 && maxTail >= 0, "'defaultTail' and 'maxTail' must not be negative");
		this.streams = streams;
		this.reader = reader;
		this.accessPolicy = accessPolicy;
		this.limits = limits;
		this.viewers = new LogViewerResolver(contextIdResolver);
		this.access = new StreamAccess(this.viewers, accessPolicy);
		this.defaultTail = defaultTail;
		this.maxTail = maxTail;
		this.streamTimeout = streamTimeout;
	}

	@GetMapping("/stream")
	@Nullable ResponseEntity<Void> ownStream(HttpServletRequest request, HttpServletResponse response,
			StreamQuery query, @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId) {
		return stream(request, response, Target.OWN, null, query, lastEventId);
	}

	@GetMapping("/stream/global")
	@Nullable ResponseEntity<Void> globalStream(HttpServletRequest request, HttpServletResponse response,
			StreamQuery query, @RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId) {
		return stream(request, response, Target.GLOBAL, null, query, lastEventId);
	}

	@GetMapping("/stream/context/{contextId}")
	@Nullable ResponseEntity<Void> contextStream(HttpServletRequest request, HttpServletResponse response,
			@PathVariable String contextId, StreamQuery query,
			@RequestHeader(name = LAST_EVENT_ID, required = false) String lastEventId) {
		return stream(request, response, Target.CONTEXT, contextId, query, lastEventId);
	}

	@DeleteMapping("/stream/context/{contextId}")
	ResponseEntity<Void> purge(HttpServletRequest request, @PathVariable String contextId) {
		LogViewer viewer = viewerOf(request);
		if (viewer == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		try {
			if (!this.accessPolicy.canRead(viewer, contextId)) {
				return ResponseEntity.status(HttpStatus.FORBIDDEN).build();
			}
			this.streams.purge(contextId);
			return ResponseEntity.noContent().build();
		}
		catch (DataAccessException ex) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
		}
	}

	private @Nullable ResponseEntity<Void> stream(HttpServletRequest request, HttpServletResponse response,
			Target target, @Nullable String requested, StreamQuery query, @Nullable String lastEventId) {
		Outcome access = this.access.check(request, target, requested, query.level(), query.q(), query.instance());
		LogViewer viewer = access.viewer();
		if (access.refusal() != null || viewer == null) {
			return ResponseEntity.status((access.refusal() != null) ? access.refusal() : HttpStatus.UNAUTHORIZED).build();
		}
		String contextId = access.contextId();
		// A browser that reconnects by itself sends Last-Event-ID, to the URL it first opened:
		// the header is newer than that URL's ?since=.
		String afterId = (lastEventId != null) ? lastEventId : query.since();
		String tail = query.tail();
		Integer tailCount = count(tail);
		if ((afterId != null && !StreamIds.isValid(afterId)) || (tail != null && tailCount == null)) {
			return ResponseEntity.badRequest().build();
		}
		if (!this.reader.isRunning()) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
		}
		Permit permit = this.limits.acquire(viewer.name());
		if (permit == null) {
			return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
				.header(HttpHeaders.RETRY_AFTER, String.valueOf(RETRY_AFTER.toSeconds()))
				.build();
		}
		StreamStart start = new StreamStart(afterId, Math.min((tailCount != null) ? tailCount : this.defaultTail, this.maxTail));
		boolean opened = false;
		try {
			HttpSession session = request.getSession(false);
			response.setStatus(HttpStatus.OK.value());
			response.setContentType(EVENT_STREAM);
			response.setHeader(HttpHeaders.CACHE_CONTROL, CacheControl.noStore().getHeaderValue());
			// Proxies such as nginx would otherwise buffer the stream.
			response.setHeader("X-Accel-Buffering", "no");
			AsyncContext async = request.startAsync();
			async.setTimeout(this.streamTimeout.toMillis());
			opened = this.reader.open(async, this.streams.channel(contextId), start, access.filter(),
					() -> this.accessPolicy.canRead(viewer, contextId), (session != null) ? session.getId() : null,
					permit);
			if (!opened) {
				response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
				async.complete();
			}
		}
		finally {
			// Once opened, the stream gives its place back when it ends; until then, nothing would.
			if (!opened) {
				permit.release();
			}
		}
		return null;
	}

	private static @Nullable Integer count(@Nullable String text) {
		if (text == null || text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
			return null;
		}
		return Integer.valueOf(text);
	}

	private @Nullable LogViewer viewerOf(HttpServletRequest request) {
		return this.viewers.resolve(request);
	}

	/**
	 * The query parameters of an event stream request.
	 *
	 * @param tail how many of the last entries to replay
	 * @param since the id to resume after, when the request has no {@code Last-Event-ID}
	 * @param level the minimum level
	 * @param q the text or {@code /regular expression/} to search for
	 * @param instance the instance whose entries to read
	 */
	record StreamQuery(@Nullable String tail, @Nullable String since, @Nullable String level, @Nullable String q,
			@Nullable String instance) {

	}

}
