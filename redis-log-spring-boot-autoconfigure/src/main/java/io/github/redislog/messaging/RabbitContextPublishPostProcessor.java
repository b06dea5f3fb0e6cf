package io.github.redislog.messaging;

import io.github.redislog.RedisLogContext;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessagePostProcessor;

/**
 * Adds the sending thread's log context to each message a {@code RabbitTemplate}
 * publishes, as {@link ContextHeaders}. Added to Spring Boot's {@code RabbitTemplate} by
 * the starter; add it to a template of your own with
 * {@code template.addBeforePublishPostProcessors(new RabbitContextPublishPostProcessor())}.
 *
 * @author Redis Log contributors
 */
public final class RabbitContextPublishPostProcessor implements MessagePostProcessor {

	@Override
	public Message postProcessMessage(Message message) {
		ContextHeaders.write(RedisLogContext.capture(), message.getMessageProperties()::setHeader);
		return message;
	}

}
