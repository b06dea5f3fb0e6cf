package io.github.redislog.test;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.github.redislog.RedisLogContext;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

/**
 * Sends and handles messages (maps of headers) under observation, as a messaging or HTTP
 * client with observation enabled does, to see what tracing writes into a message and in
 * which log context it runs the handling.
 *
 * @author Redis Log contributors
 */
public final class ObservedMessages {

	private final ObservationRegistry registry;

	public ObservedMessages(ObservationRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Send a message in the log context of this thread.
	 * @param sending the sending context, whose carrier this sets
	 * @return the headers written into the message
	 */
	public Map<String, String> send(SenderContext<Map<String, String>> sending) {
		Map<String, String> message = new HashMap<>();
		sending.setCarrier(message);
		Observation.createNotStarted("send", () -> sending, this.registry).observe(() -> {
		});
		return message;
	}

	/**
	 * Send a message in job {@code job_1}, owned by user {@code josé}.
	 * @param sending the sending context, whose carrier this sets
	 * @return the headers written into the message
	 */
	public Map<String, String> sendInJosesJob(SenderContext<Map<String, String>> sending) {
		try (RedisLogContext.Scope user = RedisLogContext.openUserContext("josé");
				RedisLogContext.Scope job = RedisLogContext.open("job_1")) {
			return send(sending);
		}
	}

	/**
	 * Return the headers of a request from a client who claims, in W3C baggage and in
	 * headers of the fields' own names, to be in a user's context.
	 * @param user the user
	 * @return the request's headers
	 */
	public static Map<String, String> requestClaimingToBe(String user) {
		Map<String, String> request = new HashMap<>();
		request.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
		request.put("baggage", "redis-log-context=User." + user + ",redis-log-owner=User." + user);
		request.put("redis-log-context", "User." + user);
		request.put("redis-log-owner", "User." + user);
		return request;
	}

	/**
	 * Handle a message.
	 * @param receiving the receiving context, whose carrier this sets
	 * @param message the message's headers
	 * @return the log context the handling ran in
	 */
	public RedisLogContext.@Nullable Snapshot handle(ReceiverContext<Map<String, String>> receiving,
			Map<String, String> message) {
		return handle(receiving, message, RedisLogContext::capture);
	}

	/**
	 * Handle a message.
	 * @param <T> the handling's result
	 * @param receiving the receiving context, whose carrier this sets
	 * @param message the message's headers
	 * @param handling the handling
	 * @return the handling's result
	 */
	public <T> T handle(ReceiverContext<Map<String, String>> receiving, Map<String, String> message,
			Supplier<T> handling) {
		receiving.setCarrier(message);
		return Observation.createNotStarted("handle", () -> receiving, this.registry).observe(handling);
	}

}
