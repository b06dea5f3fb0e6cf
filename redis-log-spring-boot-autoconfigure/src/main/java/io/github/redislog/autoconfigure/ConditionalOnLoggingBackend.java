package io.github.redislog.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when the application logs through one of the given backends, or through any the
 * starter supports when none is given.
 *
 * @author Redis Log contributors
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnLoggingBackendCondition.class)
@interface ConditionalOnLoggingBackend {

	/**
	 * The backends to match.
	 * @return the backends, or none for any supported one
	 */
	LoggingBackend[] value() default {};

}
