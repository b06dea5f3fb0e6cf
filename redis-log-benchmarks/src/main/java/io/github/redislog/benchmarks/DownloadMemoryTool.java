package io.github.redislog.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import io.github.redislog.RedisLogContext;
import io.github.redislog.web.LogStreams;
import io.github.redislog.wire.LogChannel;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.stream.MapRecord;

/**
 * Whether a download's memory stays the same however long the stream is: a servlet
 * application with the live view, on a {@code redis-server} of its own, serves a short
 * and a long stream ({@code --short=10000}, {@code --long=100000} entries of
 * {@code --payload-bytes=1000}) as NDJSON and as text to a {@link DownloadProbe}, which
 * counts the live heap {@code --stops=32} times while each download is served. It prints
 * a line per download and a {@code RESULT} line, and exits with status 1 if the long
 * stream's download holds more than the short one's (the median of the samples) by a tenth
 * of the payloads the long one has in addition, or if a download could not be sampled or
 * came back incomplete.
 *
 * @author Redis Log contributors
 */
public final class DownloadMemoryTool {

	// LogDownload's page.
	private static final int PAGE = 1000;

	private static final byte[] DATA_FIELD = LogChannel.PAYLOAD_FIELD.getBytes(StandardCharsets.UTF_8);

	private static final String CONTEXT_PATH = "/redis-log/download/context/";

	private DownloadMemoryTool() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, Long> options = options(args);
		int payloadBytes = options.get("payload-bytes").intValue();
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--redis-log.web.enabled=true",
				"--spring.main.banner-mode=off"));
		boolean passed;
		try (StandaloneRedis redis = StandaloneRedis.start()) {
			arguments.addAll(redis.springArguments());
			try (ConfigurableApplicationContext context = new SpringApplicationBuilder(Application.class)
				.web(WebApplicationType.SERVLET)
				.run(arguments.toArray(String[]::new))) {
				passed = run(context, options, payloadBytes);
			}
		}
		System.exit(passed ? 0 : 1);
	}

	private static boolean run(ConfigurableApplicationContext context, Map<String, Long> options, int payloadBytes)
			throws IOException {
		DownloadProbe probe = new DownloadProbe(
				Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port")));
		String shortStream = fill(context, options.get("short"), payloadBytes);
		String longStream = fill(context, options.get("long"), payloadBytes);
		int stops = options.get("stops").intValue();
		// Warm up: the first download loads classes and sizes the server's buffers.
		probe.download(CONTEXT_PATH + shortStream, options.get("short"), stops);
		boolean passed = true;
		StringBuilder result = new StringBuilder("RESULT page_payload_kb=" + ((long) PAGE * payloadBytes / 1024));
		for (String format : List.of("ndjson", "text")) {
			DownloadProbe.Result shortResult = measure(probe, shortStream, format, options.get("short"), stops);
			DownloadProbe.Result longResult = measure(probe, longStream, format, options.get("long"), stops);
			// Keeping a fifth of the entries it has passed, the long stream's download would hold
			// more than this (9 MB by default) above the short one's half-way through.
			long extraPayload = (options.get("long") - options.get("short")) * payloadBytes;
			boolean bounded = isComplete(shortResult, options.get("short")) && isComplete(longResult, options.get("long"))
					&& longResult.heldBytes() - shortResult.heldBytes() < extraPayload / 10;
			passed &= bounded;
			result.append(String.format(Locale.ROOT,
					" %1$s_short_held_kb=%2$d %1$s_long_held_kb=%3$d %1$s_long_peak_kb=%4$d %1$s_bounded=%5$s", format,
					shortResult.heldBytes() / 1024, longResult.heldBytes() / 1024, longResult.peakBytes() / 1024,
					bounded));
		}
		System.out.println(result);
		System.out.println(passed ? "PASS" : "FAIL");
		return passed;
	}

	private static DownloadProbe.Result measure(DownloadProbe probe, String contextId, String format, long entries,
			int stops) throws IOException {
		DownloadProbe.Result result = probe.download(CONTEXT_PATH + contextId + "?format=" + format, entries, stops);
		System.out.printf(Locale.ROOT, "%s %,d entries: %,d lines, %,d KB served, %d samples, %,d KB held, %,d KB peak%n",
				format, entries, result.lines(), result.bytes() / 1024, result.samples(), result.heldBytes() / 1024,
				result.peakBytes() / 1024);
		return result;
	}

	private static boolean isComplete(DownloadProbe.Result result, long entries) {
		return result.lines() == entries && result.samples() > 0;
	}

	// A job's stream of the given length, written straight to Redis in pipelines.
	private static String fill(ConfigurableApplicationContext context, long entries, int payloadBytes) {
		String contextId = RedisLogContext.newJobId("download");
		byte[] key = context.getBean(LogStreams.class)
			.channel(contextId)
			.streamKey()
			.getBytes(StandardCharsets.UTF_8);
		String json = "{\"timestamp\":\"2026-12-07T08:00:00.000Z\",\"level\":\"INFO\",\"logger\":\"com.example.Export\","
				+ "\"pod\":\"bench\",\"message\":\"";
		byte[] payload = (json + "x".repeat(Math.max(1, payloadBytes - json.length() - 2)) + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		RedisConnectionFactory connectionFactory = context.getBean(RedisConnectionFactory.class);
		for (long written = 0; written < entries; written += 10_000) {
			long batch = Math.min(10_000, entries - written);
			try (RedisConnection connection = connectionFactory.getConnection()) {
				connection.openPipeline();
				for (long i = 0; i < batch; i++) {
					connection.streamCommands().xAdd(MapRecord.create(key, Map.of(DATA_FIELD, payload)));
				}
				connection.closePipeline();
			}
		}
		return contextId;
	}

	private static Map<String, Long> options(String[] args) {
		Map<String, Long> options = new LinkedHashMap<>(
				Map.of("short", 10_000L, "long", 100_000L, "payload-bytes", 1000L, "stops", 32L));
		for (String arg : args) {
			String[] pair = arg.replaceFirst("^--", "").split("=", 2);
			if (pair.length < 2 || !options.containsKey(pair[0])) {
				throw new IllegalArgumentException("Unknown argument: " + arg + "; known: " + options.keySet());
			}
			options.put(pair[0], Long.parseLong(pair[1]));
		}
		return options;
	}

	/**
	 * The application: the starter and the live view, with every request made by
	 * {@code admin}, who holds {@code ROLE_ADMIN} and so reads every stream.
	 */
	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

		@Bean
		FilterRegistrationBean<Filter> admin() {
			Principal admin = () -> "admin";
			return new FilterRegistrationBean<>((request, response, chain) -> chain
				.doFilter(new HttpServletRequestWrapper((HttpServletRequest) request) {

					@Override
					public Principal getUserPrincipal() {
						return admin;
					}

					@Override
					public boolean isUserInRole(String role) {
						return "ROLE_ADMIN".equals(role);
					}

				}, response));
		}

	}

}
