package io.github.redislog.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * The RabbitMQ that runs on developer and CI machines, on {@code localhost:5672} with the
 * default guest account. Tests create only what they delete or what RabbitMQ deletes once
 * unused.
 *
 * @author Redis Log contributors
 */
public final class LocalRabbitMq {

	private LocalRabbitMq() {
	}

	/**
	 * Skip the calling test when no RabbitMQ listens on {@code localhost:5672}, except on
	 * CI ({@code CI=true}), where it fails instead.
	 */
	public static void assumeRunning() {
		boolean reachable;
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("localhost", 5672), 1000);
			reachable = true;
		}
		catch (IOException ex) {
			reachable = false;
		}
		if ("true".equals(System.getenv("CI"))) {
			assertThat(reachable).as("RabbitMQ on localhost:5672").isTrue();
		}
		assumeThat(reachable).as("RabbitMQ on localhost:5672").isTrue();
	}

	/**
	 * Return the properties that point Spring Boot at it.
	 * @return the properties
	 */
	public static String[] properties() {
		return new String[] { "spring.rabbitmq.host=localhost", "spring.rabbitmq.port=5672" };
	}

}
