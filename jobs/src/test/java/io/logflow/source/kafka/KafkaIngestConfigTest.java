package io.logflow.source.kafka;

import io.logflow.config.ConfigException;
import io.logflow.config.KafkaOptions;
import io.logflow.config.Settings;
import io.logflow.source.kafka.KafkaIngestOptions.StartingOffsets;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaIngestConfigTest {

    /** Settings over the Kafka ingest keys and the shared bootstrap servers. */
    static Settings settings(Map<String, String> values) {
        List<ConfigOption<?>> known = new ArrayList<>(KafkaIngestOptions.all());
        known.add(KafkaOptions.BOOTSTRAP_SERVERS);
        return Settings.of(values, known);
    }

    private static Map<String, String> with(String... keyValues) {
        Map<String, String> m = new HashMap<>(Map.of("kafka.bootstrap-servers", "broker:9092"));
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsWithATopicList() {
        KafkaIngestConfig c = KafkaIngestConfig.from(settings(with("ingest.kafka.topics", " logs , audit,logs")));

        assertThat(c.bootstrapServers).isEqualTo("broker:9092");
        assertThat(c.topics).containsExactly("logs", "audit");
        assertThat(c.topicPattern).isNull();
        assertThat(c.groupId).isEqualTo("logflow-ingest");
        assertThat(c.startingOffsets).isEqualTo(StartingOffsets.COMMITTED);
        assertThat(c.maxRecordBytes).isEqualTo(1024 * 1024);
        assertThat(c.maxObjects).isEqualTo(10_000);
        assertThat(c.maxDepth).isEqualTo(32);
        assertThat(c.idempotencyField).isEqualTo("idempotencyKey");
        assertThat(c.routingHeader).isEqualTo("workspace");
        assertThat(c.properties).isEmpty();
    }

    @Test
    void everyKeyIsRead() {
        KafkaIngestConfig c = KafkaIngestConfig.from(settings(with(
                "ingest.kafka.topic-pattern", "logs-.*",
                "ingest.kafka.group-id", "g1",
                "ingest.kafka.starting-offsets", "earliest",
                "ingest.kafka.max-record-bytes", "256 kb",
                "ingest.kafka.max-objects", "500",
                "ingest.kafka.max-depth", "8",
                "ingest.kafka.idempotency-field", "requestId",
                "ingest.kafka.routing-header", "x-tenant",
                "ingest.kafka.properties", "security.protocol:SSL,fetch.max.bytes:1048576")));

        assertThat(c.topics).isEmpty();
        assertThat(c.topicPattern).isEqualTo("logs-.*");
        assertThat(c.groupId).isEqualTo("g1");
        assertThat(c.startingOffsets).isEqualTo(StartingOffsets.EARLIEST);
        assertThat(c.maxRecordBytes).isEqualTo(256 * 1024);
        assertThat(c.maxObjects).isEqualTo(500);
        assertThat(c.maxDepth).isEqualTo(8);
        assertThat(c.idempotencyField).isEqualTo("requestId");
        assertThat(c.routingHeader).isEqualTo("x-tenant");
        assertThat(c.properties).containsEntry("security.protocol", "SSL").containsEntry("fetch.max.bytes", "1048576");
        assertThat(c.toString()).doesNotContain("SSL");
    }

    @Test
    void isConfiguredOnlyWithTopicsOrAPattern() {
        assertThat(KafkaIngestConfig.isConfigured(settings(with()))).isFalse();
        assertThat(KafkaIngestConfig.isConfigured(settings(with("ingest.kafka.topics", "a")))).isTrue();
        assertThat(KafkaIngestConfig.isConfigured(settings(with("ingest.kafka.topic-pattern", "a.*")))).isTrue();
    }

    @Test
    void badValuesFailWithTheKeysName() {
        assertFails(with("ingest.kafka.topics", "a", "ingest.kafka.topic-pattern", "b"),
                "ingest.kafka.topics/ingest.kafka.topic-pattern: set exactly one");
        assertFails(with("ingest.kafka.topics", " , "), "ingest.kafka.topics: expected topic names");
        assertFails(with("ingest.kafka.topics", "bad topic"), "ingest.kafka.topics: 'bad topic'");
        assertFails(with("ingest.kafka.topic-pattern", "logs-("), "ingest.kafka.topic-pattern: 'logs-('");
        assertFails(with("ingest.kafka.topics", "a", "ingest.kafka.max-record-bytes", "10 b"),
                "ingest.kafka.max-record-bytes: expected a size between");
        assertFails(with("ingest.kafka.topics", "a", "ingest.kafka.max-objects", "0"),
                "ingest.kafka.max-objects: expected a positive integer");
        assertFails(with("ingest.kafka.topics", "a", "ingest.kafka.max-depth", "-1"),
                "ingest.kafka.max-depth: expected a positive integer");
        assertFails(with("ingest.kafka.topics", "a", "ingest.kafka.starting-offsets", "SOMETIME"),
                "ingest.kafka.starting-offsets: expected one of");
        assertFails(with("ingest.kafka.topics", "a", "ingest.kafka.idempotency-field", " "),
                "ingest.kafka.idempotency-field");
        assertFails(with("ingest.kafka.topics", "a", "ingest.kafka.properties", "group.id:other"),
                "ingest.kafka.properties: 'group.id' cannot be set here");
        Map<String, String> noBrokers = new HashMap<>(Map.of("ingest.kafka.topics", "a"));
        assertFails(noBrokers, "kafka.bootstrap-servers: required");
    }

    private static void assertFails(Map<String, String> values, String message) {
        assertThatThrownBy(() -> KafkaIngestConfig.from(settings(values)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(message);
    }
}
