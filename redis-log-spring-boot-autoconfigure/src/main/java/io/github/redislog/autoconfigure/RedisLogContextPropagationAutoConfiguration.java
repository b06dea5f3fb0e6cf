package io.github.redislog.autoconfigure;

import io.github.redislog.context.RedisLogContextAccessor;
import io.github.redislog.context.RedisLogContextTaskDecorator;
import io.github.redislog.delivery.LogRecordQueue;
import io.micrometer.context.ContextSnapshotFactory;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that switches the
 * {@link RedisLogContextAccessor} on while the starter runs (the {@code ServiceLoader}
 * registers it in every application, switched off or not) and carries the log context
 * into the tasks of the executors and schedulers that Spring Boot builds (and of those
 * built with its {@code ThreadPoolTaskExecutorBuilder}, {@code SimpleAsyncTaskExecutorBuilder}
 * and scheduler builders), on platform and on virtual threads: Spring Boot composes every
 * {@code TaskDecorator} bean, so this one works next to a {@code TaskDecorator} of the
 * application's and a {@code ContextPropagatingTaskDecorator}.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogAutoConfiguration.class,
		before = { TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class })
@ConditionalOnClass(ContextSnapshotFactory.class)
@ConditionalOnBean(LogRecordQueue.class)
public final class RedisLogContextPropagationAutoConfiguration {

	// Reactor's automatic context propagation (WebFlux) needs the accessor too, so it
	// follows the starter, not redis-log.propagation.enabled.
	@Bean
	RedisLogContextAccessor.Activation redisLogContextAccessorActivation() {
		return RedisLogContextAccessor.activate();
	}

	@Bean
	static LazyInitializationExcludeFilter redisLogContextAccessorActivationExcludeFilter() {
		return LazyInitializationExcludeFilter.forBeanTypes(RedisLogContextAccessor.Activation.class);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "redis-log.propagation.enabled", matchIfMissing = true)
	RedisLogContextTaskDecorator redisLogContextTaskDecorator() {
		return new RedisLogContextTaskDecorator();
	}

}
