package io.github.redislog.messaging;

import io.github.redislog.RedisLogContext;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;

/**
 * Adds the sending thread's log context to each message a {@code RabbitTemplate}
 * publishes, as {@link ContextHeaders}. Added to Spring Boot's {@code RabbitTemplate} by
 * the starter; add the bean to a template of your own with
 * {@code template.addBeforePublishPostProcessors(postProcessor)}.
 *
 * @author Redis Log contributors
 */
public final class RabbitContextPublishPostProcessor implements MessagePostProcessor {

	private final ContextHeaders headers;

	public RabbitContextPublishPostProcessor(ContextHeaders headers) {
		this.headers = headers;
	}

	@Override
	public Message postProcessMessage(Message message) {
		this.headers.write(RedisLogContext.capture(), message.getMessageProperties()::setHeader);
		return message;
	}

}
