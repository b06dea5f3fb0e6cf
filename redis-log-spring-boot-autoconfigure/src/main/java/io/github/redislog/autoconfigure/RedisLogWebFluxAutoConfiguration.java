package io.github.redislog.autoconfigure;

import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.webflux.ExchangeContextIdResolver;
import io.github.redislog.webflux.PrincipalExchangeContextIdResolver;
import io.github.redislog.webflux.RedisLogContextWebFilter;
import io.github.redislog.webflux.SecurityContextExchangeContextIdResolver;
import io.micrometer.context.ContextSnapshotFactory;
import reactor.core.publisher.Hooks;

import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.WebFilter;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that routes the records of each
 * exchange of a reactive web application to the context of its authenticated user,
 * wherever its pipeline runs. That needs Reactor's automatic context propagation, which
 * this turns on (a JVM-wide hook) only when {@code spring.reactor.context-propagation} is
 * not set: an application that chose {@code limited} or {@code auto} keeps its choice.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnClass({ WebFilter.class, Hooks.class, ContextSnapshotFactory.class })
@ConditionalOnBean(LogRecordQueue.class)
@ConditionalOnBooleanProperty(name = "redis-log.filter.enabled", matchIfMissing = true)
public final class RedisLogWebFluxAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RedisLogContextWebFilter redisLogContextWebFilter(ExchangeContextIdResolver resolver) {
		return new RedisLogContextWebFilter(resolver);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ReactiveSecurityContextHolder.class)
	static class SecurityResolverConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ExchangeContextIdResolver redisLogExchangeContextIdResolver() {
			return new SecurityContextExchangeContextIdResolver();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingClass("org.springframework.security.core.context.ReactiveSecurityContextHolder")
	static class PrincipalResolverConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ExchangeContextIdResolver redisLogExchangeContextIdResolver() {
			return new PrincipalExchangeContextIdResolver();
		}

	}

	// What Spring Boot does for spring.reactor.context-propagation=auto, and only when the
	// application has not chosen: with "limited" it restores the context with contextCapture().
	@Configuration(proxyBeanMethods = false)
	@Conditional(ContextPropagationUndecidedCondition.class)
	static class AutomaticContextPropagationConfiguration {

		AutomaticContextPropagationConfiguration() {
			Hooks.enableAutomaticContextPropagation();
		}

		@Bean
		static LazyInitializationExcludeFilter redisLogAutomaticContextPropagationExcludeFilter() {
			return LazyInitializationExcludeFilter.forBeanTypes(AutomaticContextPropagationConfiguration.class);
		}

	}

	static final class ContextPropagationUndecidedCondition extends NoneNestedConditions {

		ContextPropagationUndecidedCondition() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnProperty("spring.reactor.context-propagation")
		static final class Decided {

		}

	}

}
