package io.github.redislog.autoconfigure;

import io.github.redislog.test.TestRedis;
import io.github.redislog.web.LogDownloadController;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RedisLogWebAutoConfiguration}.
 */
class RedisLogWebAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(DataRedisAutoConfiguration.class,
			RedisLogAutoConfiguration.class, RedisLogServletAutoConfiguration.class,
			RedisLogWebAutoConfiguration.class);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(CONFIGURATIONS)
		.withPropertyValues(redis.properties());

	@Test
	void definesLiveViewWhenSpringSecurityIsPresent() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LogStreams.class)
				.hasSingleBean(LogStreamReader.class)
				.hasSingleBean(LogStreamController.class)
				.hasSingleBean(LogViewController.class)
				.hasSingleBean(LogDownloadController.class)
				.hasSingleBean(LogViewAssets.class)
				.getBean(LogStreamAccessPolicy.class)
				.isInstanceOf(OwnerLogStreamAccessPolicy.class);
			assertThat(context.getBean(LogStreamReader.class).isRunning()).isTrue();
		});
	}

	@Test
	void limitsStreamsToAQuarterOfTheConnectionsByDefault() throws Exception {
		int heapBudget = (int) (Runtime.getRuntime().maxMemory() / 4 / (1024 * 1024));
		this.contextRunner
			.run((context) -> assertLimits(context.getBean(LogStreamLimits.class), 10, Math.min(2048, heapBudget)));
		this.contextRunner
			.withPropertyValues("server.tomcat.max-connections=400", "redis-log.web.max-streams-per-user=3")
			.run((context) -> assertLimits(context.getBean(LogStreamLimits.class), 3, 100));
		this.contextRunner.withPropertyValues("redis-log.web.max-streams=7")
			.run((context) -> assertLimits(context.getBean(LogStreamLimits.class), 7, 7));
	}

	@Test
	void limitsStreamsToTheirBuffersMemoryBudget() {
		this.contextRunner.withPropertyValues("redis-log.web.total-buffer=12MB", "redis-log.web.client-buffer=2MB")
			.run((context) -> assertLimits(context.getBean(LogStreamLimits.class), 6, 6));
		this.contextRunner.withPropertyValues("redis-log.web.total-buffer=512KB")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("redis-log.web.total-buffer"));
	}

	@Test
	void definesHealthOfTheReaderWithActuator() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(LogStreamHealthIndicator.class));
		this.contextRunner.withPropertyValues("management.health.redisloglive.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(LogStreamHealthIndicator.class));
	}

	@Test
	void definesMetricsOnlyWithMicrometer() {
		this.contextRunner.run((context) -> {
			SimpleMeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(LogStreamMetrics.class).bindTo(registry);
			assertThat(registry.get("redis.log.live.streams").gauge().value()).isZero();
			assertThat(registry.get("redis.log.live.ended").tag("reason", "slow").functionCounter().count()).isZero();
			assertThat(registry.get("redis.log.live.refused").functionCounter().count()).isZero();
			assertThat(registry.get("redis.log.live.reader.failures").functionCounter().count()).isZero();
		});
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.micrometer"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(LogStreamController.class)
				.doesNotHaveBean(LogStreamMetrics.class));
	}

	@Test
	void endsStreamsWhenTheirSessionEnds() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(LogStreamSessionListener.class));
	}

	@Test
	void definesNoLiveViewWithoutSpringSecurityUnlessEnabled() {
		assertNoLiveView(this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security")));
		this.contextRunner.withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.withPropertyValues("redis-log.web.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(LogStreamController.class));
	}

	@Test
	void definesNoLiveViewWhenDisabled() {
		assertNoLiveView(this.contextRunner.withPropertyValues("redis-log.web.enabled=false"));
	}

	@Test
	void definesOnlyLogStreamsOutsideServletApplications() {
		new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
			.withPropertyValues(redis.properties())
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(LogStreams.class)
				.doesNotHaveBean(LogStreamReader.class)
				.doesNotHaveBean(LogStreamController.class)
				.doesNotHaveBean(LogViewController.class));
	}

	@Test
	void definesNothingWhenRedisLogIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(LogStreams.class)
				.doesNotHaveBean(LogStreamController.class));
	}

	@Test
	void backsOffWhenUserDefinesAccessPolicy() {
		this.contextRunner.withUserConfiguration(CustomPolicyConfiguration.class)
			.run((context) -> assertThat(context).getBean(LogStreamAccessPolicy.class)
				.isSameAs(CustomPolicyConfiguration.POLICY));
	}

	@Test
	void failsWhenDefaultTailExceedsMaxTail() {
		this.contextRunner.withPropertyValues("redis-log.web.default-tail=300", "redis-log.web.max-tail=100")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("redis-log.web.default-tail"));
	}

	@Test
	void failsOnBasePathThatIsNotAPlainPath() {
		this.contextRunner.withPropertyValues("redis-log.web.base-path=/logs/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("base-path")
				.hasStackTraceContaining("must not end with '/'"));
	}

	// Filled up to the limit: one more stream of a user, and one of anybody, is refused.
	private static void assertLimits(LogStreamLimits limits, int perUser, int total) {
		for (int i = 0; i < perUser; i++) {
			assertThat(limits.acquire("alice")).isNotNull();
		}
		assertThat(limits.acquire("alice")).isNull();
		for (int i = perUser; i < total; i++) {
			assertThat(limits.acquire("user" + i)).isNotNull();
		}
		assertThat(limits.acquire("bob")).isNull();
	}

	private static void assertNoLiveView(WebApplicationContextRunner runner) {
		runner.run((context) -> assertThat(context).hasNotFailed()
			.hasSingleBean(LogStreams.class)
			.doesNotHaveBean(LogStreamReader.class)
			.doesNotHaveBean(LogStreamController.class)
			.doesNotHaveBean(LogStreamAccessPolicy.class));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomPolicyConfiguration {

		static final LogStreamAccessPolicy POLICY = (viewer, contextId) -> true;

		@Bean
		LogStreamAccessPolicy everyoneReadsEverything() {
			return POLICY;
		}

	}

}
