package io.github.redislog.autoconfigure;

import io.github.redislog.test.TestRedis;
import io.github.redislog.webflux.ExchangeContextIdResolver;
import io.github.redislog.webflux.PrincipalExchangeContextIdResolver;
import io.github.redislog.webflux.RedisLogContextWebFilter;
import io.github.redislog.webflux.SecurityContextExchangeContextIdResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Hooks;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogWebFluxAutoConfiguration}.
 */
class RedisLogWebFluxAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataRedisAutoConfiguration.class,
			RedisLogAutoConfiguration.class, RedisLogWebFluxAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues(redis.properties());

	@BeforeEach
	@AfterEach
	void restoreReactorsDefault() {
		Hooks.disableAutomaticContextPropagation();
	}

	@Test
	void definesFilterAfterSpringSecurityWithTheSecurityContextResolver() {
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(ExchangeContextIdResolver.class)
				.isInstanceOf(SecurityContextExchangeContextIdResolver.class);
			assertThat(context.getBean(RedisLogContextWebFilter.class).getOrder()).isGreaterThan(-100);
			assertThat(context)
				.hasSingleBean(RedisLogWebFluxAutoConfiguration.AutomaticContextPropagationConfiguration.class);
			assertThat(Hooks.isAutomaticContextPropagationEnabled()).isTrue();
		});
	}

	@Test
	void resolvesThePrincipalWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).getBean(ExchangeContextIdResolver.class)
				.isInstanceOf(PrincipalExchangeContextIdResolver.class));
	}

	@Test
	void keepsLimitedContextPropagationWhenTheApplicationChoseIt() {
		this.contextRunner.withPropertyValues("spring.reactor.context-propagation=limited").run((context) -> {
			assertThat(context).hasSingleBean(RedisLogContextWebFilter.class)
				.doesNotHaveBean(RedisLogWebFluxAutoConfiguration.AutomaticContextPropagationConfiguration.class);
			assertThat(Hooks.isAutomaticContextPropagationEnabled()).isFalse();
		});
	}

	@Test
	void leavesAutomaticContextPropagationToSpringBootWhenTheApplicationChoseIt() {
		this.contextRunner.withPropertyValues("spring.reactor.context-propagation=auto")
			.run((context) -> assertThat(context).hasSingleBean(RedisLogContextWebFilter.class)
				.doesNotHaveBean(RedisLogWebFluxAutoConfiguration.AutomaticContextPropagationConfiguration.class));
	}

	@Test
	void setsNoReactorHookWhenRedisLogIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisLogContextWebFilter.class)
				.doesNotHaveBean(RedisLogWebFluxAutoConfiguration.AutomaticContextPropagationConfiguration.class);
			assertThat(Hooks.isAutomaticContextPropagationEnabled()).isFalse();
		});
	}

	@Test
	void backsOffWhenUserDefinesContextIdResolver() {
		ExchangeContextIdResolver tenant = (exchange) -> Mono.just("Tenant.acme");
		this.contextRunner.withBean(ExchangeContextIdResolver.class, () -> tenant)
			.run((context) -> assertThat(context).getBean(ExchangeContextIdResolver.class).isSameAs(tenant));
	}

	@Test
	void definesNoFilterWhenFilterIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.filter.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisLogContextWebFilter.class));
	}

	@Test
	void definesNoFilterInServletApplications() {
		new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(redis.properties())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisLogContextWebFilter.class)
				.doesNotHaveBean(ExchangeContextIdResolver.class));
	}

}
