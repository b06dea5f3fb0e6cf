package io.github.redislog.autoconfigure;

import io.github.redislog.servlet.PrincipalContextIdResolver;
import io.github.redislog.servlet.RequestContextIdResolver;
import io.github.redislog.support.TroubleReporter;
import io.github.redislog.web.LogDownloadController;
import io.github.redislog.web.LogJobsController;
import io.github.redislog.web.LogStreamAccessPolicy;
import io.github.redislog.web.LogStreamController;
import io.github.redislog.web.LogStreamHealthIndicator;
import io.github.redislog.web.LogStreamLimits;
import io.github.redislog.web.LogStreamMetrics;
import io.github.redislog.web.LogStreamReader;
import io.github.redislog.web.LogStreamSessionListener;
import io.github.redislog.web.LogStreams;
import io.github.redislog.web.LogViewAssets;
import io.github.redislog.web.LogViewController;
import io.github.redislog.web.OwnerLogStreamAccessPolicy;
import io.github.redislog.wire.LogChannels;

import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@link EnableAutoConfiguration Auto-configuration} of the reading side: {@link LogStreams}
 * (replay and purge, also for applications without a web server) and, in servlet web
 * applications, the live view: Server-Sent Events read by one shared
 * {@link LogStreamReader}, and the terminal page. The live view is on by default when
 * Spring Security is on the classpath, and otherwise only with
 * {@code redis-log.web.enabled=true}.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = { RedisLogAutoConfiguration.class, RedisLogServletAutoConfiguration.class })
@ConditionalOnBean(LogChannels.class)
@EnableConfigurationProperties(RedisLogWebProperties.class)
public final class RedisLogWebAutoConfiguration {

	private static final String MAX_CONNECTIONS = "server.tomcat.max-connections";

	// Tomcat's own default.
	private static final int DEFAULT_MAX_CONNECTIONS = 8192;

	@Bean
	@ConditionalOnMissingBean
	LogStreams redisLogStreams(RedisConnectionFactory connectionFactory, LogChannels channels) {
		return new LogStreams(connectionFactory, channels);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(SseEmitter.class)
	@Conditional(LiveViewEnabledCondition.class)
	static class LiveViewConfiguration {

		@Bean
		@ConditionalOnMissingBean
		LogStreamAccessPolicy redisLogStreamAccessPolicy(LogStreams streams, RedisLogWebProperties properties) {
			return new OwnerLogStreamAccessPolicy(streams, properties.getGlobalAuthority());
		}

		@Bean
		@ConditionalOnMissingBean
		LogStreamReader redisLogStreamReader(RedisConnectionFactory connectionFactory, LogStreams streams,
				TroubleReporter troubleReporter, RedisLogWebProperties properties) {
			return new LogStreamReader(connectionFactory, streams, troubleReporter, properties.getPollTimeout(),
					properties.getKeepalive(), properties.getReadCount(), properties.getClientBuffer().toBytes(),
					properties.getSenderThreads(), properties.getSendTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		LogStreamLimits redisLogStreamLimits(RedisLogWebProperties properties, Environment environment) {
			Integer maxStreams = properties.getMaxStreams();
			int total = (maxStreams != null) ? maxStreams
					: Math.max(1, environment.getProperty(MAX_CONNECTIONS, Integer.class, DEFAULT_MAX_CONNECTIONS) / 4);
			DataSize totalBuffer = properties.getTotalBuffer();
			long budget = (totalBuffer != null) ? totalBuffer.toBytes() : Runtime.getRuntime().maxMemory() / 4;
			long buffered = budget / properties.getClientBuffer().toBytes();
			if (buffered < 1) {
				throw new InvalidConfigurationPropertyValueException("redis-log.web.total-buffer", totalBuffer,
						"must hold at least one redis-log.web.client-buffer");
			}
			return new LogStreamLimits(properties.getMaxStreamsPerUser(), (int) Math.min(total, buffered));
		}

		@Bean
		@ConditionalOnMissingBean
		LogStreamSessionListener redisLogStreamSessionListener(LogStreamReader reader) {
			return new LogStreamSessionListener(reader);
		}

		@Bean
		@ConditionalOnMissingBean
		LogStreamController redisLogStreamController(LogStreams streams, LogStreamReader reader,
				LogStreamAccessPolicy accessPolicy, LogStreamLimits limits,
				ObjectProvider<RequestContextIdResolver> contextIdResolver, RedisLogWebProperties properties) {
			if (properties.getDefaultTail() > properties.getMaxTail()) {
				throw new InvalidConfigurationPropertyValueException("redis-log.web.default-tail",
						properties.getDefaultTail(), "must not be greater than redis-log.web.max-tail");
			}
			return new LogStreamController(streams, reader, accessPolicy, limits,
					contextIdResolver.getIfAvailable(PrincipalContextIdResolver::new), properties.getDefaultTail(),
					properties.getMaxTail(), properties.getStreamTimeout());
		}

		@Bean
		@ConditionalOnMissingBean
		LogViewController redisLogViewController(LogStreamAccessPolicy accessPolicy,
				ObjectProvider<RequestContextIdResolver> contextIdResolver) {
			return new LogViewController(accessPolicy,
					contextIdResolver.getIfAvailable(PrincipalContextIdResolver::new));
		}

		@Bean
		@ConditionalOnMissingBean
		LogDownloadController redisLogDownloadController(LogStreams streams, LogStreamAccessPolicy accessPolicy,
				ObjectProvider<RequestContextIdResolver> contextIdResolver) {
			return new LogDownloadController(streams, accessPolicy,
					contextIdResolver.getIfAvailable(PrincipalContextIdResolver::new));
		}

		@Bean
		@ConditionalOnMissingBean
		LogJobsController redisLogJobsController(RedisConnectionFactory connectionFactory, LogChannels channels,
				LogStreamAccessPolicy accessPolicy, ObjectProvider<RequestContextIdResolver> contextIdResolver) {
			return new LogJobsController(connectionFactory, channels, accessPolicy,
					contextIdResolver.getIfAvailable(PrincipalContextIdResolver::new));
		}

		@Bean
		@ConditionalOnMissingBean
		LogViewAssets redisLogViewAssets(RedisLogWebProperties properties) {
			return new LogViewAssets(properties.getBasePath());
		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(HealthIndicator.class)
		@ConditionalOnEnabledHealthIndicator("redisloglive")
		static class LiveViewHealthConfiguration {

			@Bean
			@ConditionalOnMissingBean(name = "redisLogLiveHealthIndicator")
			LogStreamHealthIndicator redisLogLiveHealthIndicator(LogStreamReader reader) {
				return new LogStreamHealthIndicator(reader);
			}

		}

		@Configuration(proxyBeanMethods = false)
		@ConditionalOnClass(MeterBinder.class)
		static class LiveViewMetricsConfiguration {

			@Bean
			@ConditionalOnMissingBean
			LogStreamMetrics redisLogStreamMetrics(LogStreamReader reader, LogStreamLimits limits) {
				return new LogStreamMetrics(reader, limits);
			}

		}

	}

	/**
	 * The live view is on when asked for, or by default where Spring Security is present.
	 */
	static final class LiveViewEnabledCondition extends AnyNestedCondition {

		LiveViewEnabledCondition() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnBooleanProperty("redis-log.web.enabled")
		static class Enabled {

		}

		@ConditionalOnClass(name = "org.springframework.security.core.Authentication")
		@ConditionalOnBooleanProperty(name = "redis-log.web.enabled", matchIfMissing = true)
		static class SecuredByDefault {

		}

	}

}
