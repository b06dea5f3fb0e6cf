package io.github.redislog.tracing;

/**
 * The same hand-offs through Kafka with Micrometer Tracing's OpenTelemetry bridge instead of
 * Brave (it runs in the test execution whose class path has that bridge): a record whose
 * baggage a plain producer wrote by hand, {@code redis-log-context=User.alice}, is handled
 * in no context and counted there too.
 */
class KafkaJobHandOffOpenTelemetryTests extends KafkaJobHandOffIntegrationTests {

}
