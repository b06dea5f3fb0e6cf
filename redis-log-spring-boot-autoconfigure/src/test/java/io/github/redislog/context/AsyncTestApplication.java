package io.github.redislog.context;

import java.security.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

import io.github.redislog.RedisLogContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.stereotype.Service;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A secured web application whose requests log from {@code @Async} methods and
 * {@code CompletableFuture}s on the auto-configured executor, with no code of its own to
 * carry the log context: users {@code user0} to {@code user49}, password
 * {@code password}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@EnableAsync
@Import({ AsyncTestApplication.WorkController.class, AsyncTestApplication.Tasks.class })
class AsyncTestApplication {

	static final int USERS = 50;

	private static final Logger log = LoggerFactory.getLogger("com.example.async.Work");

	@Bean
	InMemoryUserDetailsManager users() {
		List<UserDetails> users = new ArrayList<>();
		for (int i = 0; i < USERS; i++) {
			users.add(User.withUsername("user" + i).password("{noop}password").roles("USER").build());
		}
		return new InMemoryUserDetailsManager(users);
	}

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) {
		return http
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/public").permitAll().anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			.build();
	}

	@RestController
	static class WorkController {

		private final Tasks tasks;

		private final Executor executor;

		WorkController(Tasks tasks,
				@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) Executor executor) {
			this.tasks = tasks;
			this.executor = executor;
		}

		/**
		 * Logs from an {@code @Async} method, which also runs a job, and from a
		 * {@code CompletableFuture} on the application's executor.
		 * @return the id of the job
		 */
		@GetMapping("/work")
		String work(@RequestParam String token, Principal principal) {
			CompletableFuture<String> job = this.tasks.runJob(token);
			CompletableFuture<Void> future = CompletableFuture
				.runAsync(() -> log.info("future {} on {}", token, Thread.currentThread()), this.executor);
			return CompletableFuture.allOf(job, future).thenCompose((done) -> job).join();
		}

		/**
		 * Logs from an {@code @Async} method that forgets to close the user context it
		 * opens, as a bug would.
		 */
		@GetMapping("/leaky")
		String leaky(@RequestParam String token) {
			this.tasks.leak(token).join();
			return "leaked";
		}

		/**
		 * Logs from the executor with no user context.
		 */
		@GetMapping("/public")
		String anonymous(@RequestParam String token) {
			this.tasks.log(token).join();
			return "anonymous";
		}

	}

	@Service
	static class Tasks {

		@Async
		public CompletableFuture<String> runJob(String token) {
			log.info("async {} on {}", token, Thread.currentThread());
			String jobId = RedisLogContext.newJobId("job");
			try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
				log.info("job {}", token);
			}
			return CompletableFuture.completedFuture(jobId);
		}

		@Async
		@SuppressWarnings("resource")
		public CompletableFuture<Void> leak(String token) {
			RedisLogContext.openUserContext("leaked");
			log.info("leaky {}", token);
			return CompletableFuture.completedFuture(null);
		}

		@Async
		public CompletableFuture<Void> log(String token) {
			log.info("anonymous {}", token);
			return CompletableFuture.completedFuture(null);
		}

	}

}
