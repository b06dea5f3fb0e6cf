package io.github.redislog.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.redislog.RedisLogContext;
import io.github.redislog.wire.LogChannels;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;

/**
 * What {@code redis-log.pubsub=auto} saves Redis against {@code classic}, for three
 * audiences: nobody subscribed, one subscriber on the global channel only, and one on every
 * channel the records go to. Per audience, classic and auto alternate for {@code --rounds}
 * rounds, each on a {@code redis-server} and an application of its own, logging like the
 * load tool's delivered phase (four users' contexts, so every record goes to its user's
 * channel and the global one). The figure is records per second per Redis core: one
 * second divided by the CPU Redis spent per delivered record, which a busy neighbour moves
 * least; the delivered rate is printed too.
 * <p>
 * Options are {@link LoadTool}'s {@code --threads}, {@code --warmup-records},
 * {@code --records} (per thread) and {@code --rounds}; any other {@code --name=value} is a
 * Spring property. It ends with one line per audience:
 * <pre>
 * RESULT audience=none classic_records_per_redis_core_s=... auto_records_per_redis_core_s=... ratio=... classic_delivered_per_s=... auto_delivered_per_s=...
 * </pre>
 *
 * @author Redis Log contributors
 */
public final class PubSubAudienceTool {

	private static final long SUBSCRIBER_JOINED_MILLIS = 1_500;

	private final LoadTool.Options options;

	private PubSubAudienceTool(LoadTool.Options options) {
		this.options = options;
	}

	public static void main(String[] args) throws Exception {
		LoadTool.Options defaults = new LoadTool.Options();
		defaults.warmupRecords = 20_000;
		defaults.records = 50_000;
		defaults.rounds = 2;
		new PubSubAudienceTool(LoadTool.Options.parse(args, defaults)).run();
	}

	private void run() throws Exception {
		List<String> results = new ArrayList<>();
		for (Audience audience : Audience.values()) {
			List<Delivery> classic = new ArrayList<>();
			List<Delivery> auto = new ArrayList<>();
			for (int round = 1; round <= this.options.rounds; round++) {
				classic.add(measure(audience, "classic"));
				auto.add(measure(audience, "auto"));
			}
			results.add(result(audience, classic, auto));
		}
		results.forEach(System.out::println);
	}

	private Delivery measure(Audience audience, String mode) throws InterruptedException {
		List<String> arguments = new ArrayList<>(this.options.springArguments);
		arguments.add("--redis-log.pubsub=" + mode);
		try (RunningStarter starter = RunningStarter.start(arguments.toArray(String[]::new));
				RedisProbes redis = new RedisProbes(starter.target())) {
			DeliveryRounds rounds = new DeliveryRounds(starter, redis, this.options.threads);
			LongAdder received = new LongAdder();
			RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", starter.target().ports().get(0)));
			try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
				subscriber.addListener(new RedisPubSubAdapter<>() {

					@Override
					public void message(String channel, String message) {
						received.increment();
					}

				});
				List<String> channels = audience.channels(starter.context().getBean(LogChannels.class),
						this.options.threads);
				if (!channels.isEmpty()) {
					subscriber.sync().subscribe(channels.toArray(String[]::new));
				}
				// The application's startup records found nobody listening: with pubsub=auto a
				// subscriber that joins later misses about its first second, as documented.
				Thread.sleep(SUBSCRIBER_JOINED_MILLIS);
				rounds.deliver(this.options.warmupRecords);
				long before = drained(received);
				long publishes = redis.calls("publish");
				Delivery delivery = rounds.deliver(this.options.records);
				System.out.printf(Locale.ROOT, "audience=%s pubsub=%s %s publishes=%d received=%d%n", audience.tag(),
						mode, delivery, redis.calls("publish") - publishes, drained(received) - before);
				return delivery;
			}
			finally {
				client.shutdown();
			}
		}
	}

	// What the subscriber received once it stopped receiving, for at most ten seconds.
	private static long drained(LongAdder received) throws InterruptedException {
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		long last;
		do {
			last = received.sum();
			Thread.sleep(300);
		}
		while (received.sum() != last && System.nanoTime() - deadline < 0);
		return last;
	}

	private static String result(Audience audience, List<Delivery> classic, List<Delivery> auto) {
		double classicPerCore = perRedisCore(classic);
		double autoPerCore = perRedisCore(auto);
		return String.format(Locale.ROOT,
				"RESULT audience=%s classic_records_per_redis_core_s=%.0f auto_records_per_redis_core_s=%.0f "
						+ "ratio=%.2f classic_delivered_per_s=%.0f auto_delivered_per_s=%.0f",
				audience.tag(), classicPerCore, autoPerCore, autoPerCore / classicPerCore, delivered(classic),
				delivered(auto));
	}

	private static double perRedisCore(List<Delivery> deliveries) {
		return Measure.median(deliveries.stream().map((delivery) -> 1e9 * delivery.delivered()
				/ Math.max(1, delivery.redisCpuNanos())).toList());
	}

	private static double delivered(List<Delivery> deliveries) {
		return Measure.median(deliveries.stream().map(Delivery::perSecond).toList());
	}

	/**
	 * Who subscribes while the records are delivered.
	 */
	private enum Audience {

		NONE, GLOBAL, EVERY_CHANNEL;

		String tag() {
			return name().toLowerCase(Locale.ROOT);
		}

		List<String> channels(LogChannels channels, int threads) {
			List<String> names = new ArrayList<>();
			if (this != NONE) {
				names.add(channels.global().name());
			}
			if (this == EVERY_CHANNEL) {
				for (int t = 0; t < threads; t++) {
					names.add(channels.context(RedisLogContext.USER_CONTEXT_PREFIX + CommandMix.username(t)).name());
				}
			}
			return names;
		}

	}

}
