package io.github.redislog.messaging;

import java.time.Duration;
import java.util.function.Function;

import io.github.redislog.RedisLogContext;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.aop.framework.ProxyFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RabbitListenerContextAdvice}.
 */
class RabbitListenerContextAdviceTests {

	private final ContextHeaders headers = new ContextHeaders(new HandOffSignature(() -> "k".repeat(32), null),
			Duration.ofHours(1), new RefusedContexts((message, cause) -> {
			}));

	private final Function<Object, RedisLogContext.@Nullable Snapshot> listener = advised(
			(message) -> RedisLogContext.capture());

	@Test
	void listenerRunsInTheContextItsMessageCarries() {
		Message message = new Message(new byte[0]);
		this.headers.write(new RedisLogContext.Snapshot("job_1", "User.alice"),
				message.getMessageProperties()::setHeader);
		try (RedisLogContext.Scope other = RedisLogContext.open("job_other")) {
			assertThat(this.listener.apply(message)).isEqualTo(new RedisLogContext.Snapshot("job_1", "User.alice"));
			assertThat(RedisLogContext.current()).hasValue("job_other");
		}
	}

	@Test
	void messageWithoutHeadersRunsInTheContextTracingBaggageGaveTheThread() {
		Message message = new Message(new byte[0], new MessageProperties());
		try (RedisLogContext.Scope fromBaggage = RedisLogContext.restore(new RedisLogContext.Snapshot("job_2", null))) {
			assertThat(this.listener.apply(message)).isEqualTo(new RedisLogContext.Snapshot("job_2", null));
		}
		assertThat(this.listener.apply(message)).isNull();
	}

	@Test
	void messageWithForgedHeadersRunsInNoContext() {
		Message message = new Message(new byte[0]);
		message.getMessageProperties().setHeader(ContextHeaders.CONTEXT, "User.alice");
		assertThat(this.listener.apply(message)).isNull();
	}

	@Test
	void contextOpenedByTheListenerEndsWithIt() {
		Function<Object, RedisLogContext.@Nullable Snapshot> leaky = advised((message) -> {
			RedisLogContext.open("job_left_open");
			return RedisLogContext.capture();
		});
		assertThat(leaky.apply(new Message(new byte[0]))).isNotNull();
		assertThat(RedisLogContext.capture()).isNull();
	}

	@SuppressWarnings("unchecked")
	private Function<Object, RedisLogContext.@Nullable Snapshot> advised(
			Function<Object, RedisLogContext.@Nullable Snapshot> listener) {
		ProxyFactory proxy = new ProxyFactory(listener);
		proxy.addInterface(Function.class);
		proxy.addAdvice(new RabbitListenerContextAdvice(this.headers));
		return (Function<Object, RedisLogContext.@Nullable Snapshot>) proxy.getProxy();
	}

}
