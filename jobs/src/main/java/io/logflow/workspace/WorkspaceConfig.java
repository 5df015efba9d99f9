package io.logflow.workspace;

import io.logflow.config.KafkaOptions;
import io.logflow.config.Settings;

import java.io.Serializable;
import java.time.Duration;

/**
 * Workspace registrations and enrichment, read once from {@link Settings} and validated: a bad value stops the job with
 * one line naming the key. Serializable, so operators can carry it.
 *
 * <p>Registrations come from Kafka ({@code kafka.bootstrap-servers}) or, for local runs, from a file
 * ({@code workspaces.file}); with neither, enrichment is off ({@link #isConfigured}).
 */
public final class WorkspaceConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Null when registrations are read from {@link #file}. */
    public final String bootstrapServers;
    public final String topic;
    /** Null when registrations are read from Kafka. */
    public final String file;
    public final int bufferMaxEvents;
    public final Duration bufferTimeout;

    public WorkspaceConfig(String bootstrapServers, String topic, String file, int bufferMaxEvents,
            Duration bufferTimeout) {
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.file = file;
        this.bufferMaxEvents = bufferMaxEvents;
        this.bufferTimeout = bufferTimeout;
    }

    /** Whether the settings name a source of registrations (Kafka or a file), i.e. enrichment is on. */
    public static boolean isConfigured(Settings s) {
        return s.get(WorkspaceOptions.ENABLED)
                && (s.isSet(KafkaOptions.BOOTSTRAP_SERVERS) || s.isSet(WorkspaceOptions.FILE));
    }

    /**
     * Reads and checks every {@code workspaces.*} key; requires {@code kafka.bootstrap-servers} or a file. A file, when
     * set, is the source of registrations.
     */
    public static WorkspaceConfig from(Settings s) {
        String file = s.isSet(WorkspaceOptions.FILE) ? s.getRequired(WorkspaceOptions.FILE).trim() : null;
        String servers = null;
        if (file == null || s.isSet(KafkaOptions.BOOTSTRAP_SERVERS)) {
            servers = bootstrapServers(s);
        }
        // With a file, registrations come from it; kafka.bootstrap-servers may still be set for other uses (the DLQ).
        return new WorkspaceConfig(servers, topic(s), file, s.getPositiveInt(WorkspaceOptions.BUFFER_MAX_EVENTS),
                s.getPositiveDuration(WorkspaceOptions.BUFFER_TIMEOUT));
    }

    /** Kafka's part only (the commands): brokers and topic. */
    public static WorkspaceConfig forCommands(Settings s) {
        return new WorkspaceConfig(bootstrapServers(s), topic(s), null,
                s.getPositiveInt(WorkspaceOptions.BUFFER_MAX_EVENTS),
                s.getPositiveDuration(WorkspaceOptions.BUFFER_TIMEOUT));
    }

    private static String bootstrapServers(Settings s) {
        return KafkaOptions.bootstrapServers(s, "workspace registrations from Kafka");
    }

    private static String topic(Settings s) {
        return KafkaOptions.topic(s, WorkspaceOptions.TOPIC);
    }

    @Override
    public String toString() {
        return "WorkspaceConfig{" + (file != null ? "file=" + file : bootstrapServers + "/" + topic)
                + ", bufferMaxEvents=" + bufferMaxEvents + ", bufferTimeout=" + bufferTimeout + '}';
    }
}
