package io.logflow.sink.dlq;

import io.logflow.config.KafkaOptions;
import io.logflow.config.Settings;
import io.logflow.config.SqlLiterals;

import java.io.Serializable;

/** The Kafka dead-letter output's configuration, read once and validated; serializable. */
public final class DlqConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public final String bootstrapServers;
    public final String topic;

    public DlqConfig(String bootstrapServers, String topic) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
    }

    public static boolean isEnabled(Settings s) {
        return s.get(DlqOptions.ENABLED);
    }

    /** Reads {@code dlq.kafka.topic} and {@code kafka.bootstrap-servers} (required when the DLQ is enabled). */
    public static DlqConfig from(Settings s) {
        String servers = KafkaOptions.bootstrapServers(s, DlqOptions.ENABLED.key() + "=true");
        String topic = KafkaOptions.topic(s, DlqOptions.TOPIC);
        return new DlqConfig(servers, topic);
    }

    /**
     * The Kafka connector's options for a Flink SQL table on the topic, as SQL string literals: connector, topic and
     * brokers (the analysts' catalog declares its format and bounds itself).
     */
    public String sqlTableOptions() {
        return "'connector' = 'kafka', 'topic' = " + SqlLiterals.quote(topic) + ", 'properties.bootstrap.servers' = "
                + SqlLiterals.quote(bootstrapServers);
    }

    @Override
    public String toString() {
        return "DlqConfig{" + bootstrapServers + "/" + topic + '}';
    }
}
