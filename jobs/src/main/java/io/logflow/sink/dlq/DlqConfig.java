package io.logflow.sink.dlq;

import io.logflow.config.ConfigException;
import io.logflow.config.Settings;
import io.logflow.workspace.WorkspaceOptions;

import java.io.Serializable;
import java.util.regex.Pattern;

/** The Kafka dead-letter output's configuration, read once and validated; serializable. */
public final class DlqConfig implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Pattern BOOTSTRAP = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

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
        if (!s.isSet(WorkspaceOptions.BOOTSTRAP_SERVERS)) {
            throw new ConfigException(WorkspaceOptions.BOOTSTRAP_SERVERS.key() + ": required with "
                    + DlqOptions.ENABLED.key() + "=true, expected host:port[,host:port...]");
        }
        String servers = s.getRequired(WorkspaceOptions.BOOTSTRAP_SERVERS).trim().replace(" ", "");
        if (!BOOTSTRAP.matcher(servers).matches()) {
            throw new ConfigException(WorkspaceOptions.BOOTSTRAP_SERVERS.key()
                    + ": expected host:port[,host:port...] such as kafka-1:9092,kafka-2:9092, got '" + servers + "'");
        }
        String topic = s.getRequired(DlqOptions.TOPIC).trim();
        if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new ConfigException(DlqOptions.TOPIC.key()
                    + ": expected a Kafka topic name (letters, digits, '.', '_', '-'), got '" + topic + "'");
        }
        return new DlqConfig(servers, topic);
    }

    @Override
    public String toString() {
        return "DlqConfig{" + bootstrapServers + "/" + topic + '}';
    }
}
