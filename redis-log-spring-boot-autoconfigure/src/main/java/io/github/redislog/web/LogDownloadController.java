package io.github.redislog.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import jakarta.servlet.http.HttpServletRequest;

import io.github.redislog.servlet.RequestContextIdResolver;
import io.github.redislog.web.LogDownload.Format;
import io.github.redislog.web.StreamAccess.Outcome;
import io.github.redislog.web.StreamAccess.Target;
import io.github.redislog.wire.LogChannel;

import org.jspecify.annotations.Nullable;

import org.springframework.dao.DataAccessException;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Downloads of what a stream holds under {@code redis-log.web.base-path}: the caller's own
 * context ({@code /download}), the global stream ({@code /download/global}) and any other
 * context ({@code /download/context/{contextId}}), authorised exactly like reading them
 * live, with the same {@code level} and {@code q} filter, as text ({@code format=text},
 * the default) or as the payloads' NDJSON ({@code format=ndjson}). The file name says the
 * context and the time, for example {@code redis-log-User.alice-20261207T045000Z.log}.
 *
 * @author Redis Log contributors
 */
@Controller
@RequestMapping("${redis-log.web.base-path:/redis-log}")
public final class LogDownloadController {

	private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	private final LogStreams streams;

	private final StreamAccess access;

	/**
	 * Create a controller.
	 * @param streams reads the streams
	 * @param accessPolicy decides who reads what
	 * @param contextIdResolver resolves the caller's own context
	 */
	public LogDownloadController(LogStreams streams, LogStreamAccessPolicy accessPolicy,
			RequestContextIdResolver contextIdResolver) {
		Assert.notNull(streams, "'streams' must not be null");
		this.streams = streams;
		this.access = new StreamAccess(new LogViewerResolver(contextIdResolver), accessPolicy);
	}

	@GetMapping("/download")
	ResponseEntity<StreamingResponseBody> ownDownload(HttpServletRequest request, DownloadQuery query) {
		return download(request, Target.OWN, null, query);
	}

	@GetMapping("/download/global")
	ResponseEntity<StreamingResponseBody> globalDownload(HttpServletRequest request, DownloadQuery query) {
		return download(request, Target.GLOBAL, null, query);
	}

	@GetMapping("/download/context/{contextId}")
	ResponseEntity<StreamingResponseBody> contextDownload(HttpServletRequest request, @PathVariable String contextId,
			DownloadQuery query) {
		return download(request, Target.CONTEXT, contextId, query);
	}

	private ResponseEntity<StreamingResponseBody> download(HttpServletRequest request, Target target,
			@Nullable String requested, DownloadQuery query) {
		Format format = format(query.format());
		Outcome access = this.access.check(request, target, requested, query.level(), query.q(), query.instance());
		if (access.refusal() != null) {
			return ResponseEntity.status(access.refusal()).build();
		}
		if (format == null) {
			return ResponseEntity.badRequest().build();
		}
		LogChannel channel = this.streams.channel(access.contextId());
		String lastId;
		try {
			lastId = this.streams.lastId(channel);
		}
		catch (DataAccessException ex) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
		}
		String name = "redis-log-" + ((access.contextId() != null) ? access.contextId() : "global") + "-"
				+ FILE_TIME.format(Instant.now()) + "." + format.extension();
		return ResponseEntity.ok()
			.contentType(format.mediaType())
			.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment().filename(name, StandardCharsets.UTF_8).build().toString())
			.cacheControl(CacheControl.noStore())
			.header("X-Content-Type-Options", "nosniff")
			.body(new LogDownload(this.streams, channel, access.filter(), format,
					(lastId != null) ? StreamId.parse(lastId) : StreamId.ZERO));
	}

	private static @Nullable Format format(@Nullable String format) {
		if (format == null || format.isEmpty()) {
			return Format.TEXT;
		}
		for (Format candidate : Format.values()) {
			if (candidate.name().equals(format.toUpperCase(Locale.ROOT))) {
				return candidate;
			}
		}
		return null;
	}

	/**
	 * The query parameters of a download.
	 *
	 * @param format {@code text} or {@code ndjson}
	 * @param level the minimum level
	 * @param q the text or {@code /regular expression/} to search for
	 * @param instance the instance whose entries to download
	 */
	record DownloadQuery(@Nullable String format, @Nullable String level, @Nullable String q,
			@Nullable String instance) {

	}

}
