package io.github.redislog.autoconfigure;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.github.redislog.RedisLogContext;
import io.github.redislog.context.RedisLogContextAccessor;
import io.github.redislog.context.RedisLogContextTaskDecorator;
import io.github.redislog.test.TestRedis;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.LazyInitializationBeanFactoryPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogContextPropagationAutoConfiguration}.
 */
class RedisLogContextPropagationAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogContextPropagationAutoConfiguration.class, TaskExecutionAutoConfiguration.class,
				TaskSchedulingAutoConfiguration.class))
		.withPropertyValues(redis.properties());

	@Test
	void autoConfiguredExecutorRunsTasksInTheSubmittersContext() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisLogContextTaskDecorator.class);
			Executor executor = context.getBean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME,
					Executor.class);
			assertThat(contextOfTaskOn(executor)).isEqualTo("User.alice");
		});
	}

	@Test
	void executorBuiltWithBootsBuilderRunsTasksInTheSubmittersContext() {
		this.contextRunner.run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutorBuilder.class).build();
			executor.initialize();
			try {
				assertThat(contextOfTaskOn(executor)).isEqualTo("User.alice");
			}
			finally {
				executor.shutdown();
			}
		});
	}

	@Test
	void autoConfiguredSchedulerRunsTasksInTheSubmittersContext() {
		this.contextRunner.withUserConfiguration(SchedulingConfiguration.class).run((context) -> {
			TaskScheduler scheduler = context.getBean(TaskScheduler.class);
			assertThat(contextOfTaskOn((task) -> scheduler.schedule(task, Instant.now())))
				.isEqualTo("User.alice");
		});
	}

	@Test
	void composesWithTheApplicationsTaskDecorator() {
		this.contextRunner.withUserConfiguration(UserTaskDecoratorConfiguration.class).run((context) -> {
			Executor executor = context.getBean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME,
					Executor.class);
			assertThat(contextOfTaskOn(executor)).isEqualTo("User.alice");
			assertThat(UserTaskDecoratorConfiguration.decorated).hasValue("User.alice");
		});
	}

	@Test
	void composesWithAContextPropagatingTaskDecoratorThatCarriesTheObservation() {
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig().observationHandler((context) -> true);
		ObservationThreadLocalAccessor.getInstance().setObservationRegistry(registry);
		try {
			this.contextRunner.withBean(ContextPropagatingTaskDecorator.class).run((context) -> {
				Executor executor = context.getBean(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME,
						Executor.class);
				Observation observation = Observation.start("test", registry);
				CompletableFuture<String> seen = new CompletableFuture<>();
				try (Observation.Scope observed = observation.openScope();
						RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
					executor.execute(() -> seen.complete(RedisLogContext.current().orElse("none") + " "
							+ (registry.getCurrentObservation() == observation)));
				}
				finally {
					observation.stop();
				}
				assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("User.alice true");
			});
		}
		finally {
			ObservationThreadLocalAccessor.getInstance().setObservationRegistry(ObservationRegistry.create());
		}
	}

	@Test
	void backsOffWhenUserDefinesTheDecorator() {
		this.contextRunner.withBean("custom", RedisLogContextTaskDecorator.class, RedisLogContextTaskDecorator::new)
			.run((context) -> assertThat(context).getBeanNames(RedisLogContextTaskDecorator.class)
				.containsExactly("custom"));
	}

	@Test
	void definesNoDecoratorWithoutContextPropagation() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer.context"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisLogContextTaskDecorator.class));
	}

	@Test
	void definesNoDecoratorWhenPropagationIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.propagation.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisLogContextTaskDecorator.class);
			// Reactor's automatic context propagation still needs the accessor.
			assertThat(RedisLogContextAccessor.isActive()).isTrue();
		});
	}

	@Test
	void definesNoDecoratorWhenRedisLogIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisLogContextTaskDecorator.class));
	}

	@Test
	void activatesTheContextAccessorUntilTheContextCloses() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(RedisLogContextAccessor.Activation.class);
			assertThat(RedisLogContextAccessor.isActive()).isTrue();
		});
		assertThat(RedisLogContextAccessor.isActive()).isFalse();
	}

	@Test
	void activatesTheContextAccessorWithLazyInitialization() {
		this.contextRunner
			.withInitializer((context) -> context.addBeanFactoryPostProcessor(new LazyInitializationBeanFactoryPostProcessor()))
			.run((context) -> assertThat(RedisLogContextAccessor.isActive()).isTrue());
	}

	@Test
	void keepsTheContextAccessorActiveWhileAnotherContextRunsTheStarter() {
		this.contextRunner.run((first) -> {
			this.contextRunner.run((second) -> assertThat(RedisLogContextAccessor.isActive()).isTrue());
			assertThat(RedisLogContextAccessor.isActive()).isTrue();
		});
		assertThat(RedisLogContextAccessor.isActive()).isFalse();
	}

	@Test
	void leavesTheContextAccessorInertWhenRedisLogIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RedisLogContextAccessor.Activation.class);
			assertThat(RedisLogContextAccessor.isActive()).isFalse();
			try (RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
				assertThat(new RedisLogContextAccessor().getValue()).isNull();
			}
		});
	}

	private static String contextOfTaskOn(Executor executor) throws Exception {
		CompletableFuture<String> seen = new CompletableFuture<>();
		try (RedisLogContext.Scope scope = RedisLogContext.openUserContext("alice")) {
			executor.execute(() -> seen.complete(RedisLogContext.current().orElse("none")));
		}
		return seen.get(10, TimeUnit.SECONDS);
	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTaskDecoratorConfiguration {

		static final AtomicReference<String> decorated = new AtomicReference<>();

		@Bean
		TaskDecorator userTaskDecorator() {
			return (task) -> () -> {
				decorated.set(RedisLogContext.current().orElse("none"));
				task.run();
			};
		}

	}

}
