package io.github.redislog.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

/**
 * Sample web application whose log records stream to Redis: {@code GET /hello} logs to
 * the caller's stream ({@code stream:logs:User.{name}}) and {@code POST /jobs} starts a
 * job that logs to a stream of its own. Its page ({@code /}) shows the starter's live view
 * and starts jobs whose lines then arrive live. Without a configured Redis it starts an
 * embedded one.
 *
 * @author Redis Log contributors
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SampleApplication {

	static final String JOB_EXECUTOR = "jobExecutor";

	@Bean(JOB_EXECUTOR)
	ThreadPoolTaskExecutor jobExecutor() {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutorBuilder().corePoolSize(2)
			.maxPoolSize(2)
			.queueCapacity(16)
			.threadNamePrefix("job-")
			.build();
		return executor;
	}

	/**
	 * Return the application, set up to start an embedded Redis when none is configured.
	 * @return the application
	 */
	public static SpringApplication application() {
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.addListeners(new EmbeddedRedisListener());
		return application;
	}

	public static void main(String[] args) {
		application().run(args);
	}

}
