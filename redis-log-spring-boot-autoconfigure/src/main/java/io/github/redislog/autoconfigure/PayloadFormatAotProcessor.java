package io.github.redislog.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.TypeReference;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Registers the application's own {@code StructuredLogFormatter}, which Spring Boot creates
 * from the class name in {@code redis-log.format}, for reflection at build time: a native
 * image knows no class by name otherwise.
 *
 * @author Redis Log contributors
 */
final class PayloadFormatAotProcessor implements BeanFactoryInitializationAotProcessor {

	@Override
	public @Nullable BeanFactoryInitializationAotContribution processAheadOfTime(
			ConfigurableListableBeanFactory beanFactory) {
		String format = beanFactory.getBean(Environment.class).getProperty("redis-log.format");
		if (format == null || !ClassUtils.isPresent(format, beanFactory.getBeanClassLoader())) {
			return null;
		}
		return (context, code) -> context.getRuntimeHints()
			.reflection()
			.registerType(TypeReference.of(format), MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
	}

}
