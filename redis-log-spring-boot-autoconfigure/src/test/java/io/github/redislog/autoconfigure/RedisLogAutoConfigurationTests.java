package io.github.redislog.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.LogPayloadWriter;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisLogWorker;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.delivery.StructuredLogPayloadWriter;
import io.github.redislog.logback.RedisLogAppenderRegistration;
import io.github.redislog.test.TestRedis;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.writer.ClusterDirectRedisLogPublisher;
import io.github.redislog.writer.DirectRedisLogPublisher;
import io.github.redislog.writer.PipelinedRedisLogPublisher;
import io.github.redislog.writer.RedisLogPublisher;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisClusterConfiguration;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link RedisLogAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisLogAutoConfigurationTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties());

	@Test
	void definesDeliveryBeansByDefault() {
		this.contextRunner.run((context) -> assertThat(context).hasSingleBean(RedisLogProperties.class)
			.hasSingleBean(LogRecordQueue.class)
			.hasSingleBean(DroppedRecords.class)
			.hasSingleBean(LogPayloadWriter.class)
			.hasSingleBean(RedisLogPublisher.class)
			.hasSingleBean(RedisLogWorker.class)
			.hasSingleBean(RedisLogAppenderRegistration.class));
	}

	@Test
	void publishesOverADirectConnectionToAStandaloneRedis() {
		this.contextRunner.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
			.isInstanceOf(DirectRedisLogPublisher.class));
	}

	@Test
	void publishesThroughSpringDataRedisWhenDirectConnectionIsDisabled() {
		this.contextRunner.withPropertyValues("redis-log.direct-connection=false")
			.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
				.isInstanceOf(PipelinedRedisLogPublisher.class));
	}

	@Test
	void publishesThroughSpringDataRedisWhenRedisIsNotAStandaloneOneWithoutTls() {
		this.contextRunner.withPropertyValues("spring.data.redis.ssl.enabled=true")
			.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
				.isInstanceOf(PipelinedRedisLogPublisher.class));
		this.contextRunner
			.withPropertyValues("spring.data.redis.sentinel.master=primary",
					"spring.data.redis.sentinel.nodes=127.0.0.1:26379")
			.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
				.isInstanceOf(PipelinedRedisLogPublisher.class));
	}

	@Test
	void publishesOverADirectConnectionPerMasterToARedisCluster() {
		// Nothing connects before the first batch.
		this.contextRunner.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:" + redis.port())
			.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
				.isInstanceOf(ClusterDirectRedisLogPublisher.class));
	}

	@Test
	void publishesToARedisClusterThroughSpringDataRedisWithTlsOrWhenDirectConnectionIsDisabled() {
		ApplicationContextRunner onCluster = this.contextRunner
			.withPropertyValues("spring.data.redis.cluster.nodes=127.0.0.1:" + redis.port());
		onCluster.withPropertyValues("redis-log.direct-connection=false")
			.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
				.isInstanceOf(PipelinedRedisLogPublisher.class));
		onCluster.withPropertyValues("spring.data.redis.ssl.enabled=true")
			.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
				.isInstanceOf(PipelinedRedisLogPublisher.class));
	}

	@Test
	void backsOffEntirelyWhenDisabled() {
		this.contextRunner.withPropertyValues("redis-log.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RedisLogProperties.class)
				.doesNotHaveBean(LogRecordQueue.class)
				.doesNotHaveBean(RedisLogWorker.class)
				.doesNotHaveBean(RedisLogAppenderRegistration.class));
	}

	@Test
	void backsOffWithOneLineWhenTheApplicationLogsThroughNoSupportedBackend(CapturedOutput output) {
		this.contextRunner
			.withClassLoader(new FilteredClassLoader("ch.qos.logback.classic", "org.apache.logging.log4j.core"))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(RedisLogProperties.class)
				.doesNotHaveBean(RedisLogWorker.class));
		assertThat(output).containsOnlyOnce("Redis Log is off: SLF4J logs through");
	}

	@Test
	void writesStructuredPayloadsWhenAFormatIsSet() {
		this.contextRunner.withPropertyValues("redis-log.format=logstash")
			.run((context) -> assertThat(context).getBean(LogPayloadWriter.class)
				.isInstanceOf(StructuredLogPayloadWriter.class));
	}

	@Test
	void failsNamingTheFormatPropertyWhenBootHasNoSuchFormat() {
		this.contextRunner.withPropertyValues("redis-log.format=yaml")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("redis-log.format")
				.hasMessageContaining("Unknown format 'yaml'"));
	}

	@Test
	void failsNamingTheClientTypeWhenJedisWouldWriteToACluster() {
		this.contextRunner.withBean(JedisConnectionFactory.class, () -> {
			// Never started: the starter must refuse it before anything connects.
			JedisConnectionFactory factory = new JedisConnectionFactory(
					new RedisClusterConfiguration(List.of("127.0.0.1:" + redis.port())));
			factory.setEarlyStartup(false);
			factory.setAutoStartup(false);
			return factory;
		}).run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("spring.data.redis.client-type")
				.hasMessageContaining("through Lettuce only"));
	}

	@Test
	void backsOffWithoutRedisConnectionFactory() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(RedisLogAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisLogWorker.class));
	}

	@Test
	void deliversThroughThePrimaryOfTwoConnectionFactories() {
		String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesConfiguration.class)
			.withBean("primaryRedisConnectionFactory", LettuceConnectionFactory.class,
					() -> new LettuceConnectionFactory(redis.host(), redis.port()), (definition) -> definition
						.setPrimary(true))
			.withPropertyValues("redis-log.channel-prefix=" + prefix)
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(RedisLogWorker.class);
				LoggerFactory.getLogger("com.example.Two").info("to the primary");
				await().until(() -> context.getBean(DeliveryCounters.class).publishedCount() == 1);
				assertThat(redis.template().opsForStream().size("stream:" + prefix + ":global")).isOne();
			});
	}

	@Test
	void backsOffWhenTwoConnectionFactoriesHaveNoPrimary() {
		this.contextRunner.withUserConfiguration(TwoConnectionFactoriesConfiguration.class)
			.withBean("otherRedisConnectionFactory", LettuceConnectionFactory.class,
					() -> new LettuceConnectionFactory(redis.host(), redis.port()))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RedisLogWorker.class));
	}

	@Test
	void backsOffWhenUserDefinesPublisher() {
		this.contextRunner.withUserConfiguration(CustomPublisherConfiguration.class)
			.run((context) -> assertThat(context).getBean(RedisLogPublisher.class)
				.isSameAs(context.getBean(CustomPublisherConfiguration.class).publisher));
	}

	@Test
	void backsOffWhenUserDefinesPayloadWriter() {
		this.contextRunner.withUserConfiguration(CustomPayloadWriterConfiguration.class)
			.run((context) -> assertThat(context).getBean(LogPayloadWriter.class)
				.isSameAs(CustomPayloadWriterConfiguration.WRITER));
	}

	@Test
	void backsOffWhenUserDefinesWorker() {
		this.contextRunner.withUserConfiguration(CustomWorkerConfiguration.class)
			.run((context) -> assertThat(context).getBean(RedisLogWorker.class)
				.isSameAs(context.getBean(CustomWorkerConfiguration.class).worker));
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomWorkerConfiguration {

		@Nullable RedisLogWorker worker;

		@Bean
		RedisLogWorker customWorker(LogRecordQueue queue, LogPayloadWriter payloadWriter, RedisLogPublisher publisher,
				LogChannels channels, DeliveryCounters counters, RedisWriteStatus writeStatus) {
			this.worker = new RedisLogWorker(queue, payloadWriter, publisher, channels, counters, writeStatus,
					(message, cause) -> {
					}, 10, Duration.ZERO, Duration.ofSeconds(1));
			return this.worker;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoConnectionFactoriesConfiguration {

		// Nothing listens there: a record sent through it would not arrive.
		@Bean
		LettuceConnectionFactory secondaryRedisConnectionFactory() {
			return new LettuceConnectionFactory("127.0.0.1", 1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomPublisherConfiguration {

		final RedisLogPublisher publisher = (batch) -> {
		};

		@Bean
		RedisLogPublisher customPublisher() {
			return this.publisher;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomPayloadWriterConfiguration {

		static final LogPayloadWriter WRITER = (record) -> new byte[0];

		@Bean
		LogPayloadWriter customPayloadWriter() {
			return WRITER;
		}

	}

}
