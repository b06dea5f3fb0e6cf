package io.github.redislog.sample;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.github.redislog.RedisLogContext;
import io.github.redislog.wire.LogChannels;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Starts sample jobs, each of which runs on the job executor and logs its progress to a
 * stream of its own.
 *
 * @author Redis Log contributors
 */
@Component
final class SampleJobs {

	/**
	 * Progress steps of each job.
	 */
	static final int STEPS = 5;

	private static final Duration STEP_PAUSE = Duration.ofMillis(400);

	private static final Logger logger = LoggerFactory.getLogger(SampleJobs.class);

	private final TaskExecutor executor;

	private final LogChannels channels;

	SampleJobs(@Qualifier(SampleApplication.JOB_EXECUTOR) TaskExecutor executor, LogChannels channels) {
		this.executor = executor;
		this.channels = channels;
	}

	/**
	 * Start a job for the given user.
	 * @param username the user who started it
	 * @return the job's id and stream key
	 */
	StartedJob start(String username) {
		String jobId = RedisLogContext.newJobId("job");
		// The job's thread gets the user's context, so the job scope records its owner.
		this.executor.execute(RedisLogContext.wrap(() -> run(jobId, username)));
		// Logged in the request's context, so it goes to the user's stream.
		logger.info("Started {}", jobId);
		return new StartedJob(jobId, this.channels.context(jobId).streamKey());
	}

	private void run(String jobId, String username) {
		// The scope is opened on the job's own thread: the MDC is per thread.
		try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
			logger.info("Job {} started by {}", jobId, username);
			try {
				for (int step = 1; step <= STEPS; step++) {
					TimeUnit.MILLISECONDS.sleep(STEP_PAUSE.toMillis());
					logger.info("Step {} of {} done", step, STEPS);
				}
				logger.info("Job {} finished", jobId);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				logger.warn("Job {} interrupted", jobId);
			}
		}
	}

	/**
	 * A started job.
	 *
	 * @param jobId the job's id, also its log context id
	 * @param streamKey the key of the job's log stream
	 */
	record StartedJob(String jobId, String streamKey) {

	}

}
