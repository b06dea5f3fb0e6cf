package io.github.redislog.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;

import io.github.redislog.delivery.DeliveryCounters;
import io.github.redislog.delivery.DroppedRecords;
import io.github.redislog.delivery.JsonLogPayloadWriter;
import io.github.redislog.delivery.LogPayloadWriter;
import io.github.redislog.delivery.LogRecordQueue;
import io.github.redislog.delivery.RedisLogWorker;
import io.github.redislog.delivery.RedisWriteStatus;
import io.github.redislog.delivery.StructuredLogPayloadWriter;
import io.github.redislog.support.TroubleReporter;
import io.github.redislog.wire.LogChannels;
import io.github.redislog.writer.ClusterDirectRedisLogPublisher;
import io.github.redislog.writer.DirectRedisLogPublisher;
import io.github.redislog.writer.PipelinedRedisLogPublisher;
import io.github.redislog.writer.RedisLogPublisher;
import io.github.redislog.writer.RespEndpoint;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.jedis.JedisConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.util.ClassUtils;

/**
 * {@link EnableAutoConfiguration Auto-configuration} that streams every log record to Redis:
 * an appender of the application's logging backend (Logback or Log4j2) feeds a bounded queue
 * that a worker writes to Redis in pipelined batches. With no supported backend it backs off,
 * saying why in one line of the application's log.
 *
 * @author Redis Log contributors
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class)
@ConditionalOnClass(RedisOperations.class)
@ConditionalOnSingleCandidate(RedisConnectionFactory.class)
@ConditionalOnBooleanProperty(name = "redis-log.enabled", matchIfMissing = true)
@ConditionalOnLoggingBackend
@EnableConfigurationProperties(RedisLogProperties.class)
@Import({ RedisLogLogbackConfiguration.class, RedisLogLog4j2Configuration.class })
public final class RedisLogAutoConfiguration {

	private static final boolean JEDIS_PRESENT = ClassUtils.isPresent("redis.clients.jedis.Jedis",
			RedisLogAutoConfiguration.class.getClassLoader());

	@Bean
	@ConditionalOnMissingBean
	LogChannels redisLogChannels(RedisLogProperties properties) {
		RedisLogProperties.Stream stream = properties.getStream();
		return new LogChannels(properties.getChannelPrefix(), properties.getGlobalChannel(), stream.getContextTtl(),
				stream.getGlobalTtl(), properties.getPubsub());
	}

	@Bean
	@ConditionalOnMissingBean
	LogPayloadWriter redisLogPayloadWriter(RedisLogProperties properties, Environment environment) {
		String pod = pod(environment);
		if (MessageLayoutSetting.isStructured(properties)) {
			return StructuredLogPayloadWriter.forFormat(properties.getFormat(), pod);
		}
		return new JsonLogPayloadWriter(pod);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisLogPublisher redisLogPublisher(RedisConnectionFactory connectionFactory,
			ObjectProvider<DataRedisConnectionDetails> connectionDetails, RedisLogProperties properties) {
		failOnJedisCluster(connectionFactory);
		long streamMaxLength = properties.getStream().getMaxLength();
		RespEndpoint endpoint = properties.isDirectConnection()
				? DirectConnectionEndpoint.of(connectionFactory, connectionDetails.getIfAvailable()) : null;
		if (endpoint != null) {
			return new DirectRedisLogPublisher(endpoint, streamMaxLength);
		}
		RespEndpoint clusterLogin = properties.isDirectConnection() ? DirectConnectionEndpoint.ofCluster(connectionFactory)
				: null;
		if (clusterLogin != null) {
			return new ClusterDirectRedisLogPublisher(connectionFactory, clusterLogin, streamMaxLength);
		}
		return new PipelinedRedisLogPublisher(connectionFactory, streamMaxLength);
	}

	@Bean
	@ConditionalOnMissingBean
	DroppedRecords redisLogDroppedRecords(TroubleReporter troubleReporter) {
		return new DroppedRecords(troubleReporter);
	}

	@Bean
	@ConditionalOnMissingBean
	DeliveryCounters redisLogDeliveryCounters(DroppedRecords droppedRecords) {
		return new DeliveryCounters(droppedRecords);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisWriteStatus redisLogWriteStatus() {
		return new RedisWriteStatus();
	}

	@Bean
	@ConditionalOnMissingBean
	LogRecordQueue redisLogRecordQueue(RedisLogProperties properties, DroppedRecords droppedRecords) {
		return new LogRecordQueue(properties.getQueueCapacity(), properties.getQueueMaxBytes().toBytes(),
				droppedRecords);
	}

	@Bean
	@ConditionalOnMissingBean
	RedisLogWorker redisLogWorker(LogRecordQueue queue, LogPayloadWriter payloadWriter, RedisLogPublisher publisher,
			LogChannels channels, DeliveryCounters counters, RedisWriteStatus writeStatus,
			TroubleReporter troubleReporter, RedisLogProperties properties) {
		return new RedisLogWorker(queue, payloadWriter, publisher, channels, counters, writeStatus, troubleReporter,
				properties.getBatchSize(), properties.getFlushInterval(), properties.getShutdownTimeout());
	}

	// Kubernetes sets HOSTNAME to the pod's name; elsewhere the host's name tells instances apart.
	private static @Nullable String pod(Environment environment) {
		String hostname = environment.getProperty("HOSTNAME");
		if (hostname != null) {
			return hostname;
		}
		try {
			return InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			return null;
		}
	}

	// Spring Data Redis refuses PUBLISH and XADD in a pipeline on a Jedis cluster connection:
	// every record would be rejected, so the start fails instead.
	private static void failOnJedisCluster(RedisConnectionFactory connectionFactory) {
		if (JEDIS_PRESENT && connectionFactory instanceof JedisConnectionFactory jedis && jedis.isRedisClusterAware()) {
			throw new InvalidConfigurationPropertyValueException("spring.data.redis.client-type", "jedis",
					"Redis Log writes to a Redis Cluster through Lettuce only: use Lettuce "
							+ "(spring.data.redis.client-type=lettuce, with io.lettuce:lettuce-core on the class path), "
							+ "or set redis-log.enabled=false");
		}
	}

}
