package io.github.redislog.autoconfigure;

import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.servlet.PrincipalContextIdResolver;
import io.github.redislog.servlet.RedisLogContextFilter;
import io.github.redislog.servlet.RequestContextIdResolver;
import jakarta.servlet.DispatcherType;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingFilterBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that routes the records of each
 * servlet request to the context of its authenticated user.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = RedisLogAutoConfiguration.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnClass(OncePerRequestFilter.class)
@ConditionalOnBean(LogRecordQueue.class)
@ConditionalOnBooleanProperty(name = "redis-log.filter.enabled", matchIfMissing = true)
public final class RedisLogServletAutoConfiguration {

	/**
	 * Order of the filter: after Spring Security's filter chain (order -100), which
	 * authenticates the request, and before the request wrappers of order 0.
	 */
	public static final int FILTER_ORDER = -90;

	@Bean
	@ConditionalOnMissingBean
	RequestContextIdResolver redisLogRequestContextIdResolver() {
		return new PrincipalContextIdResolver();
	}

	@Bean
	@ConditionalOnMissingFilterBean(RedisLogContextFilter.class)
	FilterRegistrationBean<RedisLogContextFilter> redisLogContextFilter(RequestContextIdResolver resolver) {
		FilterRegistrationBean<RedisLogContextFilter> registration = new FilterRegistrationBean<>(
				new RedisLogContextFilter(resolver));
		registration.setOrder(FILTER_ORDER);
		registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR);
		return registration;
	}

}
