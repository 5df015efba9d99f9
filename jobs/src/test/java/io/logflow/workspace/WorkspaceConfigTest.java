package io.logflow.workspace;

import io.logflow.config.ConfigException;
import io.logflow.config.KafkaOptions;
import io.logflow.config.Settings;
import org.apache.flink.configuration.ConfigOption;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WorkspaceConfigTest {

    @Test
    void defaultsApplyWhenOnlyTheBrokersAreGiven() {
        Settings s = settings(Map.of("kafka.bootstrap-servers", "kafka-1:9092, kafka-2:9092"));
        assertThat(WorkspaceConfig.isConfigured(s)).isTrue();
        WorkspaceConfig c = WorkspaceConfig.from(s);
        assertThat(c.bootstrapServers).isEqualTo("kafka-1:9092,kafka-2:9092");
        assertThat(c.topic).isEqualTo("logflow.workspaces");
        assertThat(c.file).isNull();
        assertThat(c.bufferMaxEvents).isEqualTo(1000);
        assertThat(c.bufferTimeout).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void aRegistrationsFileReplacesKafka() {
        WorkspaceConfig c = WorkspaceConfig.from(settings(Map.of("workspaces.file", "file:///tmp/ws.ndjson",
                "workspaces.buffer-timeout", "30 s", "workspaces.buffer-max-events", "7")));
        assertThat(c.file).isEqualTo("file:///tmp/ws.ndjson");
        assertThat(c.bootstrapServers).isNull();
        assertThat(c.bufferTimeout).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.bufferMaxEvents).isEqualTo(7);
    }

    @Test
    void badValuesStopWithTheKeysName() {
        assertThat(WorkspaceConfig.isConfigured(settings(Map.of()))).isFalse();
        assertThatThrownBy(() -> WorkspaceConfig.from(settings(Map.of())))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kafka.bootstrap-servers: required");
        assertThatThrownBy(() -> WorkspaceConfig.from(settings(Map.of("kafka.bootstrap-servers", "kafka"))))
                .hasMessageStartingWith("kafka.bootstrap-servers: expected host:port");
        assertThatThrownBy(() -> WorkspaceConfig.from(settings(Map.of("kafka.bootstrap-servers", "k:9092",
                "workspaces.topic", "bad topic")))).hasMessageStartingWith("workspaces.topic: expected");
        assertThatThrownBy(() -> WorkspaceConfig.from(settings(Map.of("kafka.bootstrap-servers", "k:9092",
                "workspaces.buffer-max-events", "0")))).hasMessageStartingWith("workspaces.buffer-max-events: expected");
        assertThatThrownBy(() -> WorkspaceConfig.from(settings(Map.of("kafka.bootstrap-servers", "k:9092",
                "workspaces.buffer-timeout", "soon")))).hasMessageStartingWith("workspaces.buffer-timeout: expected");
    }

    @Test
    void enrichmentCanBeTurnedOffWhileKafkaServesOtherUses() {
        assertThat(WorkspaceConfig.isConfigured(settings(Map.of("kafka.bootstrap-servers", "k:9092")))).isTrue();
        assertThat(WorkspaceConfig.isConfigured(settings(Map.of("kafka.bootstrap-servers", "k:9092",
                "workspaces.enabled", "false")))).isFalse();
        assertThat(WorkspaceConfig.isConfigured(settings(Map.of()))).isFalse();
    }

    @Test
    void aRegistrationsFileWinsOverKafkaWhichStaysUsableForTheDeadLetterTopic() {
        WorkspaceConfig config = WorkspaceConfig.from(settings(Map.of("kafka.bootstrap-servers", "k:9092",
                "workspaces.file", "/tmp/x")));

        assertThat(config.file).isEqualTo("/tmp/x");
    }

    private static Settings settings(Map<String, String> values) {
        List<ConfigOption<?>> known = new ArrayList<>(WorkspaceOptions.all());
        known.addAll(KafkaOptions.all());
        return Settings.of(values, known);
    }
}
