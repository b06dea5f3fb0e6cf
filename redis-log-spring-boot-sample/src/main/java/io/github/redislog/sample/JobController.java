package io.github.redislog.sample;

import java.security.Principal;

import io.github.redislog.sample.SampleJobs.StartedJob;

import org.springframework.core.task.TaskRejectedException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Starts a job and answers with its id and the key of its log stream.
 *
 * @author Redis Log contributors
 */
@RestController
final class JobController {

	private final SampleJobs jobs;

	JobController(SampleJobs jobs) {
		this.jobs = jobs;
	}

	@PostMapping("/jobs")
	@ResponseStatus(HttpStatus.ACCEPTED)
	StartedJob start(Principal principal) {
		try {
			return this.jobs.start(principal.getName());
		}
		catch (TaskRejectedException ex) {
			throw new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE, "Too many jobs, try again later", ex);
		}
	}

}
