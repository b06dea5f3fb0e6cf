package io.github.redislog.web;

import java.io.StringWriter;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;

import io.github.redislog.servlet.RequestContextIdResolver;
import io.github.redislog.web.LogJobs.LogJob;
import io.github.redislog.wire.LogChannels;

import tools.jackson.core.JsonGenerator;
import tools.jackson.core.json.JsonFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.util.Assert;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/**
 * The jobs a viewer may open, under {@code redis-log.web.base-path}: {@code GET /jobs}
 * answers the signed-in user's own jobs, or every job for a viewer with the global
 * authority, as {@code [{"id": "import_…", "ttl": 3512}]}, the one written last first.
 *
 * @author Redis Log contributors
 */
@Controller
@RequestMapping("${redis-log.web.base-path:/redis-log}")
public final class LogJobsController {

	private static final JsonFactory JSON = new JsonFactory();

	private final LogJobs jobs;

	private final LogViewerResolver viewers;

	private final LogStreamAccessPolicy accessPolicy;

	/**
	 * Create a controller.
	 * @param connectionFactory where the jobs are looked up
	 * @param channels names the keys of the jobs
	 * @param accessPolicy tells who may see every job: whoever may read the global stream
	 * @param contextIdResolver resolves the caller's own context
	 */
	public LogJobsController(RedisConnectionFactory connectionFactory, LogChannels channels,
			LogStreamAccessPolicy accessPolicy, RequestContextIdResolver contextIdResolver) {
		Assert.notNull(accessPolicy, "'accessPolicy' must not be null");
		this.jobs = new LogJobs(connectionFactory, channels);
		this.viewers = new LogViewerResolver(contextIdResolver);
		this.accessPolicy = accessPolicy;
	}

	@GetMapping("/jobs")
	ResponseEntity<String> jobs(HttpServletRequest request) {
		LogViewer viewer = this.viewers.resolve(request);
		if (viewer == null) {
			return ResponseEntity.status(HttpStatus.UNAUTHORIZED).build();
		}
		List<LogJob> jobs;
		try {
			if (this.accessPolicy.canRead(viewer, null)) {
				jobs = this.jobs.list(null);
			}
			else {
				String own = viewer.contextId();
				jobs = (own != null) ? this.jobs.list(own) : List.of();
			}
		}
		catch (DataAccessException ex) {
			return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).build();
		}
		StringWriter json = new StringWriter();
		try (JsonGenerator generator = JSON.createGenerator(json)) {
			generator.writeStartArray();
			for (LogJob job : jobs) {
				generator.writeStartObject();
				generator.writeStringProperty("id", job.id());
				generator.writeNumberProperty("ttl", job.ttlMillis() / 1000);
				generator.writeEndObject();
			}
			generator.writeEndArray();
		}
		return ResponseEntity.ok()
			.contentType(MediaType.APPLICATION_JSON)
			.cacheControl(CacheControl.noStore())
			.body(json.toString());
	}

}
