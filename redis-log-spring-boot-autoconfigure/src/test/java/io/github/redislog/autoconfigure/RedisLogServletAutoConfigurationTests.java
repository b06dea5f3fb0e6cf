package io.github.redislog.autoconfigure;

import io.github.redislog.servlet.PrincipalContextIdResolver;
import io.github.redislog.servlet.RedisLogContextFilter;
import io.github.redislog.servlet.RequestContextIdResolver;
import io.github.redislog.test.TestRedis;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogServletAutoConfiguration}.
 */
class RedisLogServletAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataRedisAutoConfiguration.class,
			RedisLogAutoConfiguration.class, RedisLogServletAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues(redis.properties());

	@Test
	void definesFilterAfterSpringSecurityInServletApplications() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(FilterRegistrationBean.class)
				.getBean(RequestContextIdResolver.class)
				.isInstanceOf(PrincipalContextIdResolver.class);
			FilterRegistrationBean<?> registration = context.getBean(FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(RedisLogContextFilter.class);
			assertThat(registration.getOrder()).isGreaterThan(-100);
		});
	}

	@Test
	void definesFilterWithoutSpringSecurity() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(FilterRegistrationBean.class));
	}

	@Test
	void definesNoFilterOutsideServletApplications() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(redis.properties())
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(RequestContextIdResolver.class));
	}

	@Test
	void definesNoFilterWhenFilterIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.filter.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void definesNoFilterWhenRedisLogIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class));
	}

	@Test
	void backsOffWhenUserDefinesContextIdResolver() {
		this.contextRunner.withUserConfiguration(CustomResolverConfiguration.class)
			.run((context) -> assertThat(context).getBean(RequestContextIdResolver.class)
				.isSameAs(CustomResolverConfiguration.RESOLVER));
	}

	@Test
	void backsOffWhenUserRegistersTheFilter() {
		this.contextRunner.withUserConfiguration(CustomFilterConfiguration.class)
			.run((context) -> assertThat(context).getBean(FilterRegistrationBean.class)
				.extracting(FilterRegistrationBean::getOrder)
				.isEqualTo(42));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomFilterConfiguration {

		@Bean
		FilterRegistrationBean<RedisLogContextFilter> customRedisLogContextFilter() {
			FilterRegistrationBean<RedisLogContextFilter> registration = new FilterRegistrationBean<>(
					new RedisLogContextFilter(new PrincipalContextIdResolver()));
			registration.setOrder(42);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomResolverConfiguration {

		static final RequestContextIdResolver RESOLVER = (request) -> "Tenant.acme";

		@Bean
		RequestContextIdResolver tenantResolver() {
			return RESOLVER;
		}

	}

}
