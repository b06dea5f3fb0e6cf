package io.github.redislog.messaging;

import java.util.Arrays;
import java.util.function.Supplier;

import org.aopalliance.aop.Advice;

import org.springframework.amqp.rabbit.config.BaseRabbitListenerContainerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Puts a {@link RabbitListenerContextAdvice} first in the advice chain of every Rabbit
 * listener container factory, Spring Boot's and the application's, keeping the advice
 * already there (such as Spring Boot's retry): first, so that the retries and the
 * recoverer's records belong to the message's context too.
 *
 * @author Redis Log contributors
 */
public final class RabbitListenerContextPostProcessor implements BeanPostProcessor {

	private final Supplier<ContextHeaders> headers;

	/**
	 * Create a post-processor.
	 * @param headers returns the headers, asked for when the first factory is post-processed
	 */
	public RabbitListenerContextPostProcessor(Supplier<ContextHeaders> headers) {
		this.headers = headers;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof BaseRabbitListenerContainerFactory<?> factory) {
			Advice[] chain = factory.getAdviceChain();
			if (chain == null || Arrays.stream(chain).noneMatch(RabbitListenerContextAdvice.class::isInstance)) {
				Advice[] advised = new Advice[(chain != null) ? chain.length + 1 : 1];
				advised[0] = new RabbitListenerContextAdvice(this.headers.get());
				if (chain != null) {
					System.arraycopy(chain, 0, advised, 1, chain.length);
				}
				factory.setAdviceChain(advised);
			}
		}
		return bean;
	}

}
