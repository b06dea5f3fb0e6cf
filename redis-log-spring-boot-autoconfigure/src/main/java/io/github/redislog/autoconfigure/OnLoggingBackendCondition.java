package io.github.redislog.autoconfigure;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnLoggingBackend}. When the application logs through
 * no backend the starter supports, it says so once, in one line of the application's log:
 * the starter then stays off and the application starts as it would without it.
 *
 * @author Redis Log contributors
 */
class OnLoggingBackendCondition extends SpringBootCondition {

	private static final Log logger = LogFactory.getLog(OnLoggingBackendCondition.class);

	private static final AtomicBoolean unsupportedReported = new AtomicBoolean();

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		Map<String, Object> attributes = metadata.getAnnotationAttributes(ConditionalOnLoggingBackend.class.getName());
		List<LoggingBackend> wanted = (attributes != null) ? Arrays.asList((LoggingBackend[]) attributes.get("value"))
				: List.of();
		LoggingBackend backend = LoggingBackend.of(context.getClassLoader());
		ConditionMessage.Builder message = ConditionMessage.forCondition(ConditionalOnLoggingBackend.class, wanted);
		if (backend == null) {
			String reason = "SLF4J logs through " + LoggingBackend.slf4jFactory()
					+ ", and Redis Log captures records from Logback or Log4j2 (log4j-core) only";
			if (wanted.isEmpty() && unsupportedReported.compareAndSet(false, true)) {
				logger.warn("Redis Log is off: " + reason + ". Add spring-boot-starter-logging or "
						+ "spring-boot-starter-log4j2, or set redis-log.enabled=false.");
			}
			return ConditionOutcome.noMatch(message.because(reason));
		}
		if (!wanted.isEmpty() && !wanted.contains(backend)) {
			return ConditionOutcome.noMatch(message.because("the application logs through " + backend));
		}
		return ConditionOutcome.match(message.because("the application logs through " + backend));
	}

}
