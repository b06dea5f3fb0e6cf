package io.github.redislog.autoconfigure;

import io.github.redislog.context.RedisLogContextTaskDecorator;
import io.github.redislog.delivery.LogRecordQueue;
import io.micrometer.context.ContextSnapshotFactory;

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
 * {@link EnableAutoConfiguration Auto-configuration} that carries the log context into
 * the tasks of the executors and schedulers that Spring Boot builds (and of those built
 * with its {@code ThreadPoolTaskExecutorBuilder}, {@code SimpleAsyncTaskExecutorBuilder}
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
@ConditionalOnBooleanProperty(name = "redis-log.propagation.enabled", matchIfMissing = true)
public final class RedisLogContextPropagationAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisLogContextTaskDecorator redisLogContextTaskDecorator() {
		return new RedisLogContextTaskDecorator();
	}

}
