package io.github.redislog.messaging;

import io.github.redislog.RedisLogContext;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.amqp.core.Message;

/**
 * Runs a Rabbit listener in the log context that its message carries in
 * {@link ContextHeaders}, and in none when it carries none, then restores the context of
 * the consumer thread. A batch of messages runs in no context: its messages may carry
 * different ones. Added to every Rabbit listener container factory by the starter; add it
 * to a container of your own with {@code container.setAdviceChain(...)}.
 *
 * @author Redis Log contributors
 */
public final class RabbitListenerContextAdvice implements MethodInterceptor {

	@Override
	public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
		RedisLogContext.Snapshot context = null;
		// A container's chain wraps invokeListener(Channel, Object data), where data is a
		// Message or a batch of them; a stream container's wraps onMessage(Message).
		for (Object argument : invocation.getArguments()) {
			if (argument instanceof Message message) {
				context = ContextHeaders.read(message.getMessageProperties().getHeaders()::get);
				break;
			}
		}
		try (RedisLogContext.Scope scope = RedisLogContext.restore(context)) {
			return invocation.proceed();
		}
	}

}
