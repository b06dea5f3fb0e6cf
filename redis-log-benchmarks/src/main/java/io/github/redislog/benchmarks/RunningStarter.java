package io.github.redislog.benchmarks;

import java.util.ArrayList;
import java.util.List;

import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisLogWorker;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The full starter as an application gets it: a Spring Boot context with its
 * auto-configuration, writing to a Redis of its own on free ports of the loopback
 * interface (one {@code redis-server} unless told otherwise), which {@link #close()} stops
 * by PID.
 *
 * @author Redis Log contributors
 */
final class RunningStarter implements AutoCloseable {

	private final RedisTarget redis;

	private final ConfigurableApplicationContext context;

	// Looked up once: the load tool reads them in its emitters' loops.
	private final LogRecordQueue queue;

	private final RedisLogWorker worker;

	private final DroppedRecords droppedRecords;

	private RunningStarter(RedisTarget redis, ConfigurableApplicationContext context) {
		this.redis = redis;
		this.context = context;
		this.queue = context.getBean(LogRecordQueue.class);
		this.worker = context.getBean(RedisLogWorker.class);
		this.droppedRecords = context.getBean(DroppedRecords.class);
	}

	/**
	 * Start a {@code redis-server} and the application.
	 * @param args {@code --name=value} properties, for example
	 * {@code --redis-log.batch-size=500}
	 * @return the running application
	 */
	static RunningStarter start(String... args) {
		return start(new Class<?>[0], args);
	}

	/**
	 * Start a {@code redis-server} and the application with beans of its own.
	 * @param configurations configuration classes whose beans the auto-configuration
	 * backs off for
	 * @param args {@code --name=value} properties
	 * @return the running application
	 */
	static RunningStarter start(Class<?>[] configurations, String... args) {
		return start(StandaloneRedis.start(), configurations, args);
	}

	/**
	 * Start the application on a Redis that the caller started; {@link #close()} stops it,
	 * and so does a failure to start the application.
	 * @param redis the Redis to write to
	 * @param configurations configuration classes whose beans the auto-configuration
	 * backs off for
	 * @param args {@code --name=value} properties
	 * @return the running application
	 */
	static RunningStarter start(RedisTarget redis, Class<?>[] configurations, String... args) {
		try {
			List<String> properties = new ArrayList<>(List.of(args));
			properties.addAll(redis.springArguments());
			properties.add("--spring.main.banner-mode=off");
			ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
				.sources(configurations)
				.web(WebApplicationType.NONE)
				.run(properties.toArray(String[]::new));
			return new RunningStarter(redis, context);
		}
		catch (RuntimeException ex) {
			redis.close();
			throw ex;
		}
	}

	RedisTarget target() {
		return this.redis;
	}

	ConfigurableApplicationContext context() {
		return this.context;
	}

	LogRecordQueue queue() {
		return this.queue;
	}

	RedisLogWorker worker() {
		return this.worker;
	}

	DroppedRecords droppedRecords() {
		return this.droppedRecords;
	}

	@Override
	public void close() {
		try {
			this.context.close();
		}
		finally {
			this.redis.close();
		}
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class Application {

	}

}
