package io.github.redislog.messaging;

import io.github.redislog.RedisLogContext;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * Runs a Rabbit listener in the log context that its message carries in
 * {@link ContextHeaders}, then restores the context of the consumer thread. A message
 * without the headers, or with ones that are refused, runs in the context the thread has:
 * none, or the one that tracing baggage brought when the listener is observed (consumer
 * threads start with none, and every message's context ends with it). A batch of messages runs in that context too:
 * its messages may carry different ones. Added to every Rabbit listener container
 * factory by the starter; add it to a container of your own with
 * {@code container.setAdviceChain(...)}.
 *
 * @author Redis Log contributors
 */
public final class RabbitListenerContextAdvice implements MethodInterceptor {

	private final ContextHeaders headers;

	public RabbitListenerContextAdvice(ContextHeaders headers) {
		this.headers = headers;
	}

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		RedisLogContext.Snapshot context = RedisLogContext.capture();
		// A container's chain wraps invokeListener(Channel, Object data), where data is a
		// Message or a batch of them; a stream container's wraps onMessage(Message).
		for (Object argument : invocation.getArguments()) {
			if (argument instanceof Message message) {
				RedisLogContext.Snapshot carried = this.headers.read(message.getMessageProperties().getHeaders()::get);
				context = (carried != null) ? carried : context;
				break;
			}
		}
		try (RedisLogContext.Scope scope = RedisLogContext.restore(context)) {
			return invocation.proceed();
		}
	}

}
