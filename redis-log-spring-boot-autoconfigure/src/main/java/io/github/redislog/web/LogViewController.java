package io.github.redislog.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.github.redislog.servlet.RequestContextIdResolver;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The live view's page under {@code redis-log.web.base-path}, and what it asks first: who
 * the signed-in viewer is and whether they may read the global stream. The streams
 * themselves are {@link LogStreamController}'s.
 *
 * @author Redis Log contributors
 */
@Controller
@RequestMapping("${redis-log.web.base-path:/redis-log}")
public final class LogViewController {

	// Scripts only from the jar, never inline: a logged '<script>' has nowhere to run.
	private static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; "
			+ "style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
			+ "frame-ancestors 'self'";

	private static final JsonFactory JSON = new JsonFactory();

	private final LogStreamAccessPolicy accessPolicy;

	private final LogViewerResolver viewers;

	private final byte[] page;

	/**
	 * Create a controller.
	 * @param accessPolicy decides who reads what
	 * @param contextIdResolver resolves the caller's own context
	 */
	public LogViewController(LogStreamAccessPolicy accessPolicy, RequestContextIdResolver contextIdResolver) {
		Assert.notNull(accessPolicy, "'accessPolicy' must not be null");
		Assert.notNull(contextIdResolver, "'contextIdResolver' must not be null");
		this.accessPolicy = accessPolicy;
		this.viewers = new LogViewerResolver(contextIdResolver);
		this.page = read(new ClassPathResource("index.html", LogViewController.class));
	}

	@GetMapping
	ResponseEntity<Void> redirectToPage(HttpServletRequest request) {
		// The page's links are relative to the base path with its trailing slash.
		return ResponseEntity.status(HttpStatus.FOUND)
			.header(HttpHeaders.LOCATION, request.getRequestURI() + "/")
			.build();
	}

	@GetMapping("/")
	ResponseEntity<byte[]> page() {
		return ResponseEntity.ok()
			.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
			.cacheControl(CacheControl.noCache())
			.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
			.header("X-Content-Type-Options", "nosniff")
			.body(this.page);
	}

	@GetMapping("/viewer")
	ResponseEntity<String> viewer(HttpServletRequest request) {
		LogViewer viewer = this.viewers.resolve(request);
		if (viewer == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		StringWriter json = new StringWriter();
		try (JsonGenerator generator = JSON.createGenerator(json)) {
			generator.writeStartObject();
			generator.writeStringProperty("name", viewer.name());
			generator.writeStringProperty("context", viewer.contextId());
			generator.writeBooleanProperty("global", this.accessPolicy.canRead(viewer, null));
			generator.writeEndObject();
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.body(json.toString());
	}

	private static byte[] read(ClassPathResource resource) {
		try (InputStream input = resource.getInputStream()) {
			return input.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the live view's page " + resource, ex);
		}
	}

}
