package io.github.redislog.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.GenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.BeanFactoryInitializationAotContribution;
import org.springframework.beans.factory.aot.BeanFactoryInitializationCode;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link PayloadFormatAotProcessor}.
 */
class PayloadFormatAotProcessorTests {

	@Test
	void registersTheApplicationsFormatterClassForItsConstructors() {
		GenerationContext generationContext = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get("com.example", "Application")), new InMemoryGeneratedFiles());
		BeanFactoryInitializationAotContribution contribution = new PayloadFormatAotProcessor()
			.processAheadOfTime(beanFactory(CustomFormatter.class.getName()));
		assertThat(contribution).isNotNull();
		contribution.applyTo(generationContext, mock(BeanFactoryInitializationCode.class));
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(CustomFormatter.class)
			.withMemberCategory(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(generationContext.getRuntimeHints());
	}

	@Test
	void contributesNothingForBootsOwnFormatsOrTheReference() {
		assertThat(new PayloadFormatAotProcessor().processAheadOfTime(beanFactory("ecs"))).isNull();
		assertThat(new PayloadFormatAotProcessor().processAheadOfTime(beanFactory(null))).isNull();
	}

	private static DefaultListableBeanFactory beanFactory(String format) {
		MockEnvironment environment = new MockEnvironment();
		if (format != null) {
			environment.setProperty("redis-log.format", format);
		}
		DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
		beanFactory.registerSingleton("environment", environment);
		return beanFactory;
	}

	static class CustomFormatter {

	}

}
