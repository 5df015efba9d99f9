package io.logflow.sink.dlq;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;

/**
 * Options of the Kafka dead-letter output of failures. The brokers are {@code kafka.bootstrap-servers}
 * ({@link io.logflow.config.KafkaOptions#BOOTSTRAP_SERVERS}), shared with the workspace registrations.
 */
public final class DlqOptions {
    private DlqOptions() {}

    public static final ConfigOption<Boolean> POSTGRES_ENABLED = ConfigOptions.key("dlq.postgres.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Write failures to the Postgres ingest_failures table (replay reads them from there).");

    public static final ConfigOption<Boolean> ENABLED = ConfigOptions.key("dlq.kafka.enabled")
            .booleanType()
            .defaultValue(false)
            .withDescription("Also write every failure to a Kafka topic (needs kafka.bootstrap-servers).");

    public static final ConfigOption<String> TOPIC = ConfigOptions.key("dlq.kafka.topic")
            .stringType()
            .defaultValue("logflow.dlq")
            .withDescription("Topic of the failures: key = failure id, value = the failure as JSON with the raw "
                    + "bytes in base64. At-least-once: a consumer deduplicates by key.");

    /** Every option above, for the job's list of known keys. */
    public static List<ConfigOption<?>> all() {
        return List.of(POSTGRES_ENABLED, ENABLED, TOPIC);
    }
}
