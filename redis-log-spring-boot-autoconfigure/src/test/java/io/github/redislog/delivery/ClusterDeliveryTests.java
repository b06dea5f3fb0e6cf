package io.github.redislog.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.redislog.RedisLogContext;
import io.github.redislog.autoconfigure.RedisLogAutoConfiguration;
import io.github.redislog.test.RedisClusterProcesses;
import io.github.redislog.test.RedisStreams;
import io.github.redislog.writer.ClusterDirectRedisLogPublisher;
import io.github.redislog.writer.RedisLogPublisher;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery to a Redis Cluster of three masters and three replicas, configured only through
 * {@code spring.data.redis.cluster.nodes}: records of one batch go to streams on several
 * shards.
 */
class ClusterDeliveryTests {

	@RegisterExtension
	static final RedisClusterProcesses cluster = new RedisClusterProcesses();

	private static final Logger log = LoggerFactory.getLogger("com.example.shipping.DispatchService");

	// Random, with the users' and the global streams on more than one master (a random
	// prefix alone put all four on one master about one run in thirty).
	private final String prefix = prefixSpreadOverMasters();

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class, RedisLogAutoConfiguration.class))
		.withPropertyValues(cluster.properties())
		.withPropertyValues("redis-log.channel-prefix=" + this.prefix, "redis-log.pattern=%m",
				"redis-log.stream.max-length=100000", "spring.data.redis.timeout=2s");

	@Test
	void routesABurstOfThreeUsersToStreamsOnSeveralShards() {
		String jobId = RedisLogContext.newJobId("export");
		this.contextRunner.run((context) -> {
			assertThat(context).getBean(RedisLogPublisher.class).isInstanceOf(ClusterDirectRedisLogPublisher.class);
			DeliveryCounters counters = context.getBean(DeliveryCounters.class);
			List<Thread> users = new ArrayList<>();
			for (String user : List.of("alice", "bob", "carol")) {
				Thread thread = new Thread(() -> {
					for (int i = 0; i < 2000; i++) {
						try (MDC.MDCCloseable scope = MDC.putCloseable(RedisLogContext.MDC_KEY, "User." + user)) {
							log.info("{} {}", user, i);
						}
					}
				});
				thread.start();
				users.add(thread);
			}
			for (Thread user : users) {
				user.join();
			}
			try (RedisLogContext.Scope user = RedisLogContext.openUserContext("alice");
					RedisLogContext.Scope job = RedisLogContext.open(jobId)) {
				log.info("exported");
			}
			await().atMost(Duration.ofSeconds(30)).until(() -> counters.inFlight() == 0);
			assertThat(counters.publishedCount()).isEqualTo(6001);
			assertThat(counters.offeredCount()).isEqualTo(counters.publishedCount() + counters.dropped().total());
		});
		StringRedisTemplate template = cluster.template();
		RedisStreams streams = new RedisStreams(template);
		List<String> keys = List.of(stream("User.alice"), stream("User.bob"), stream("User.carol"), stream("global"));
		assertThat(keys.stream().map(cluster::masterOf).distinct()).hasSizeGreaterThan(1);
		for (String user : List.of("alice", "bob", "carol")) {
			assertThat(streams.messages(stream("User." + user))).hasSize(2000)
				.doesNotHaveDuplicates()
				.allSatisfy((message) -> assertThat(message).startsWith(user));
			assertThat(template.getExpire(stream("User." + user))).isBetween(3500L, 3600L);
		}
		assertThat(streams.messages(stream("global"))).hasSize(6001).doesNotHaveDuplicates();
		assertThat(template.getExpire(stream("global"))).isBetween(86300L, 86400L);
		assertThat(streams.messages(stream(jobId))).containsExactly("exported");
		assertThat(template.opsForValue().get("owner:" + this.prefix + ":" + jobId)).isEqualTo("User.alice");
	}

	@Test
	void shardedPubSubReachesAnSsubscribeClient() {
		List<String> live = new CopyOnWriteArrayList<>();
		RedisClusterClient client = RedisClusterClient
			.create(cluster.addresses().stream().map((node) -> RedisURI.create("redis://" + node)).toList());
		try (StatefulRedisClusterPubSubConnection<String, String> subscriber = client.connectPubSub()) {
			subscriber.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void smessage(String channel, String message) {
					live.add(channel);
				}

			});
			subscriber.sync().ssubscribe(channel("User.alice"));
			subscriber.sync().ssubscribe(channel("global"));
			this.contextRunner.withPropertyValues("redis-log.pubsub=sharded").run((context) -> {
				try (MDC.MDCCloseable scope = MDC.putCloseable(RedisLogContext.MDC_KEY, "User.alice")) {
					log.info("live on its shard");
				}
				await().untilAsserted(
						() -> assertThat(live).containsExactlyInAnyOrder(channel("User.alice"), channel("global")));
			});
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void autoPubSubPublishesEveryRecordOnACluster() {
		// A PUBLISH counts only the subscribers of the node it reached: one on a replica,
		// which the message reaches through the cluster bus, counts for none.
		List<String> live = new CopyOnWriteArrayList<>();
		RedisClient client = RedisClient.create();
		try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub(replica(client))) {
			subscriber.addListener(new RedisPubSubAdapter<>() {

				@Override
				public void message(String channel, String message) {
					live.add(message);
				}

			});
			subscriber.sync().subscribe(channel("global"));
			this.contextRunner.withPropertyValues("redis-log.pubsub=auto").run((context) -> {
				DeliveryCounters counters = context.getBean(DeliveryCounters.class);
				for (int i = 0; i < 5; i++) {
					log.info("batch {}", i);
					long published = i + 1;
					await().until(() -> counters.publishedCount() == published);
				}
				await().untilAsserted(() -> assertThat(live).hasSize(5));
			});
		}
		finally {
			client.shutdown();
		}
	}

	private static RedisURI replica(RedisClient client) {
		for (String node : cluster.addresses()) {
			RedisURI uri = RedisURI.create("redis://" + node);
			try (StatefulRedisConnection<String, String> connection = client.connect(uri)) {
				if (connection.sync().info("replication").contains("role:slave")) {
					return uri;
				}
			}
		}
		throw new IllegalStateException("The cluster has no replica");
	}

	private String stream(String context) {
		return "stream:" + channel(context);
	}

	private static String prefixSpreadOverMasters() {
		for (int attempt = 0; attempt < 100; attempt++) {
			String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
			long masters = Stream.of("User.alice", "User.bob", "User.carol", "global")
				.map((context) -> cluster.masterOf("stream:" + prefix + ":" + context))
				.distinct()
				.count();
			if (masters > 1) {
				return prefix;
			}
		}
		throw new IllegalStateException("No prefix spreads the streams over the cluster's masters");
	}

	private String channel(String context) {
		return this.prefix + ":" + context;
	}

}
