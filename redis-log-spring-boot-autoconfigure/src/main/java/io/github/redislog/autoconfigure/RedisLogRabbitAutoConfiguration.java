package io.github.redislog.autoconfigure;

import io.github.redislog.messaging.ContextHeaders;
import io.github.redislog.messaging.RabbitContextPublishPostProcessor;
import io.github.redislog.messaging.RabbitListenerContextPostProcessor;

import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.amqp.autoconfigure.RabbitTemplateCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that carries the log context with
 * RabbitMQ messages: Spring Boot's {@code RabbitTemplate} adds the sender's context to
 * each message's headers, and every listener container factory runs its listeners in the
 * context their message carries, so a job started in one application and continued by a
 * listener in another logs into one stream, owned by the user who started it. The headers
 * are signed: a listener restores only what the starter wrote.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogHandOffAutoConfiguration.class)
@ConditionalOnClass({ RabbitTemplate.class, RabbitTemplateCustomizer.class })
@ConditionalOnBean(ContextHeaders.class)
@ConditionalOnBooleanProperty(name = "redis-log.propagation.enabled", matchIfMissing = true)
public final class RedisLogRabbitAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RabbitContextPublishPostProcessor redisLogRabbitContextPublishPostProcessor(ContextHeaders headers) {
		return new RabbitContextPublishPostProcessor(headers);
	}

	@Bean
	RabbitTemplateCustomizer redisLogRabbitTemplateCustomizer(RabbitContextPublishPostProcessor postProcessor) {
		return (template) -> template.addBeforePublishPostProcessors(postProcessor);
	}

	@Bean
	@ConditionalOnMissingBean
	static RabbitListenerContextPostProcessor redisLogRabbitListenerContextPostProcessor(
			ObjectProvider<ContextHeaders> headers) {
		return new RabbitListenerContextPostProcessor(headers::getObject);
	}

}
