package io.logflow.workspace;

import io.logflow.config.KafkaOptions;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.time.Duration;
import java.util.List;

/** Options of workspace registrations and enrichment; the brokers are {@link KafkaOptions#BOOTSTRAP_SERVERS}. */
public final class WorkspaceOptions {
    private WorkspaceOptions() {}

    public static final ConfigOption<Boolean> ENABLED = ConfigOptions.key("workspaces.enabled")
            .booleanType()
            .defaultValue(true)
            .withDescription("Enrich events with their workspace when registrations are available (a file, or Kafka "
                    + "through kafka.bootstrap-servers); false stores events without one even when Kafka is set "
                    + "for other uses (direct ingest, the dead-letter topic).");

    public static final ConfigOption<String> TOPIC = ConfigOptions.key("workspaces.topic")
            .stringType()
            .defaultValue("logflow.workspaces")
            .withDescription("Compacted Kafka topic of workspace registrations: key = workspace id, value = its JSON, "
                    + "a tombstone deletes it. Read from the beginning.");

    public static final ConfigOption<String> FILE = ConfigOptions.key("workspaces.file")
            .stringType()
            .noDefaultValue()
            .withDescription("Instead of Kafka: a file (URI or path) of registrations, one JSON per line as on the "
                    + "topic; {\"id\": \"x\", \"deleted\": true} deletes. For the demo and local runs.");

    public static final ConfigOption<Integer> BUFFER_MAX_EVENTS = ConfigOptions.key("workspaces.buffer-max-events")
            .intType()
            .defaultValue(1000)
            .withDescription("Events of one not-yet-registered routing key held while waiting for its registration; "
                    + "further ones fail at once as 'unknown_workspace'.");

    public static final ConfigOption<Duration> BUFFER_TIMEOUT = ConfigOptions.key("workspaces.buffer-timeout")
            .durationType()
            .defaultValue(Duration.ofMinutes(5))
            .withDescription("Longest time an event of an unregistered routing key waits for a registration before it "
                    + "fails as 'unknown_workspace'.");

    /** Every option above, for the job's list of known keys. */
    public static List<ConfigOption<?>> all() {
        return List.of(ENABLED, TOPIC, FILE, BUFFER_MAX_EVENTS, BUFFER_TIMEOUT);
    }
}
