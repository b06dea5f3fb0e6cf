package io.github.redislog.log4j2;

import java.util.UUID;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.RedisLogWorker;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.test.TestRedis;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter on Log4j2 (log4j-core, SLF4J bound to it): what only this backend has, its
 * appender on the configuration and its re-attachment after a reconfiguration. The
 * behavioural suites run on this backend too, in the {@code log4j2} test execution.
 */
class Log4j2BackendTests {

	@RegisterExtension
	static final TestRedis redis = TestRedis.perClass();

	private static final Logger log = LoggerFactory.getLogger("com.example.orders.OrderService");

	private final String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);

	private final RedisStreams streams = new RedisStreams(redis.template());

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(redis.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m");

	@Test
	void capturesThroughLog4j2AndRoutesByThreadContext() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(Log4j2AppenderRegistration.class)
				.doesNotHaveBean("redisLogAppenderRegistration");
			String jobId = RedisLogContext.newJobId("import");
			try (RedisLogContext.Scope scope = RedisLogContext.open(jobId)) {
				log.info("in the job {}", 1);
			}
			log.info("after the job");
			await().until(() -> context.getBean(RedisLogWorker.class).publishedCount() == 2);
			assertThat(this.streams.messages(globalStream())).containsExactly("in the job 1", "after the job");
			assertThat(this.streams.messages("stream:" + this.prefix + ":" + jobId)).containsExactly("in the job 1");
		});
	}

	@Test
	void keepsStreamingAcrossReconfigurationsWithNoRecordLostOrDoubled() {
		this.contextRunner.run((context) -> {
			RedisLogWorker worker = context.getBean(RedisLogWorker.class);
			LoggerContext loggerContext = (LoggerContext) LogManager.getContext(false);
			log.info("before");
			loggerContext.reconfigure();
			log.info("after reconfigure");
			Configurator.reconfigure();
			log.info("after Configurator.reconfigure");
			loggerContext.updateLoggers();
			log.info("after updateLoggers");
			reinitializeAsSpringBootDoes();
			log.info("after Spring Boot's re-initialisation");
			await().until(() -> worker.publishedCount() == 5);
			assertThat(this.streams.messages(globalStream())).containsExactly("before", "after reconfigure",
					"after Configurator.reconfigure", "after updateLoggers", "after Spring Boot's re-initialisation");
			assertThat(context.getBean(DroppedRecords.class).total()).isZero();
		});
	}

	@Test
	void capturesTheRecordsOfLoggersThatDoNotReachTheRoot() {
		LoggerContext loggerContext = (LoggerContext) LogManager.getContext(false);
		String name = "com.example.audit." + this.prefix;
		org.apache.logging.log4j.core.config.LoggerConfig audit = new org.apache.logging.log4j.core.config.LoggerConfig(
				name, org.apache.logging.log4j.Level.INFO, false);
		loggerContext.getConfiguration().addLogger(name, audit);
		loggerContext.updateLoggers();
		try {
			this.contextRunner.run((context) -> {
				LoggerFactory.getLogger(name).info("audited");
				await().until(() -> context.getBean(RedisLogWorker.class).publishedCount() == 1);
				assertThat(this.streams.messages(globalStream())).containsExactly("audited");
			});
		}
		finally {
			loggerContext.getConfiguration().removeLogger(name);
			loggerContext.updateLoggers();
		}
	}

	@Test
	void leavesTheConfigurationWhenTheApplicationStops() {
		LoggerContext loggerContext = (LoggerContext) LogManager.getContext(false);
		this.contextRunner.run((context) -> assertThat(
				loggerContext.getConfiguration().getRootLogger().getAppenders()).containsKey("REDIS_LOG"));
		assertThat(loggerContext.getConfiguration().getRootLogger().getAppenders()).doesNotContainKey("REDIS_LOG");
	}

	// The application name and correlation parts appear once a Boot application set them.
	@Test
	void laysOutTheMessageWithSpringBootsLog4j2FilePattern() {
		ApplicationContextRunner withBootsPattern = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
			.withPropertyValues(redis.properties())
			.withPropertyValues("redis-log.channel-prefix=" + this.prefix);
		withBootsPattern.run((context) -> {
			log.info("with Boot's pattern");
			log.warn("with a stack trace", new IllegalStateException("boom"));
			await().until(() -> context.getBean(RedisLogWorker.class).publishedCount() == 2);
			assertThat(this.streams.messages(globalStream())).satisfiesExactly(
					(message) -> assertThat(message).matches(
							"\\d{4}-\\d\\d-\\d\\dT\\S+ +INFO \\d+ --- (\\[.*\\] )?\\[main\\] .*c\\.e\\.o\\.OrderService +: with Boot's pattern"),
					(message) -> assertThat(message).contains(" WARN ", ": with a stack trace\n",
							"java.lang.IllegalStateException: boom", "\tat io.github.redislog.log4j2.Log4j2BackendTests"));
		});
	}

	// What Boot's logging system does when another SpringApplication starts in the JVM.
	private static void reinitializeAsSpringBootDoes() {
		LoggingSystem loggingSystem = LoggingSystem.get(Log4j2BackendTests.class.getClassLoader());
		loggingSystem.cleanUp();
		loggingSystem.beforeInitialize();
		loggingSystem.initialize(new LoggingInitializationContext(new StandardEnvironment()), null, null);
	}

	private String globalStream() {
		return "stream:" + this.prefix + ":global";
	}

}
