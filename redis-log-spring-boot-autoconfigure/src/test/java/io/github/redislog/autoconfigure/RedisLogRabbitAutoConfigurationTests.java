package io.github.redislog.autoconfigure;

import io.github.redislog.messaging.RabbitContextPublishPostProcessor;
import io.github.redislog.messaging.RabbitListenerContextAdvice;
import io.github.redislog.messaging.RabbitListenerContextPostProcessor;
import io.github.redislog.test.TestRedis;
import org.aopalliance.aop.Advice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.boot.amqp.autoconfigure.RabbitAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogRabbitAutoConfiguration}.
 */
class RedisLogRabbitAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class,
				RedisLogHandOffAutoConfiguration.class, RedisLogRabbitAutoConfiguration.class, RabbitAutoConfiguration.class))
		.withPropertyValues(redis.properties());

	@Test
	void bootsRabbitTemplateAddsTheContextToEachMessage() {
		this.contextRunner.run((context) -> assertThat(context.getBean(RabbitTemplate.class)
			.getBeforePublishPostProcessors()).singleElement().isInstanceOf(RabbitContextPublishPostProcessor.class));
	}

	@Test
	void listenersRunInTheMessagesContextBeforeBootsRetry() {
		this.contextRunner.withPropertyValues("spring.rabbitmq.listener.simple.retry.enabled=true")
			.run((context) -> {
				Advice[] chain = context.getBean(SimpleRabbitListenerContainerFactory.class).getAdviceChain();
				assertThat(chain).hasSize(2);
				assertThat(chain[0]).isInstanceOf(RabbitListenerContextAdvice.class);
			});
	}

	@Test
	void listenersOfTheApplicationsOwnFactoryRunInTheMessagesContext() {
		this.contextRunner.withUserConfiguration(CustomFactoryConfiguration.class)
			.run((context) -> assertThat(context.getBean("customFactory", SimpleRabbitListenerContainerFactory.class)
				.getAdviceChain()).singleElement().isInstanceOf(RabbitListenerContextAdvice.class));
	}

	@Test
	void definesNothingWithoutSpringAmqp() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.amqp"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RabbitContextPublishPostProcessor.class)
				.doesNotHaveBean(RabbitListenerContextPostProcessor.class));
	}

	@Test
	void definesNothingWhenPropagationIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.propagation.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(RabbitListenerContextPostProcessor.class);
			assertThat(context.getBean(RabbitTemplate.class).getBeforePublishPostProcessors()).isNull();
		});
	}

	@Test
	void appliesNothingWhenRedisLogIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false")
			.withUserConfiguration(CustomFactoryConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(RabbitContextPublishPostProcessor.class)
					.doesNotHaveBean(RabbitListenerContextPostProcessor.class);
				assertThat(context.getBean(RabbitTemplate.class).getBeforePublishPostProcessors()).isNull();
				assertThat(context.getBean("customFactory", SimpleRabbitListenerContainerFactory.class).getAdviceChain())
					.isNull();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomFactoryConfiguration {

		@Bean
		SimpleRabbitListenerContainerFactory customFactory() {
			return new SimpleRabbitListenerContainerFactory();
		}

	}

}
