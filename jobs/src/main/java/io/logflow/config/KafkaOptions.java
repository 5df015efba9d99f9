package io.logflow.config;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kafka connection every Kafka user of the job shares: workspace registrations, direct ingest, the dead-letter
 * topic and the {@code workspace} commands. One key, one check.
 */
public final class KafkaOptions {
    private KafkaOptions() {}

    private static final Pattern BOOTSTRAP = Pattern.compile("[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*");
    private static final Pattern TOPIC_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    public static final ConfigOption<String> BOOTSTRAP_SERVERS = ConfigOptions.key("kafka.bootstrap-servers")
            .stringType()
            .noDefaultValue()
            .withDescription("Kafka brokers, host:port[,host:port...]: the job reads workspace registrations and "
                    + "direct ingest there and writes the dead-letter topic; 'workspace put|delete' publish to it.");

    public static List<ConfigOption<?>> all() {
        return List.of(BOOTSTRAP_SERVERS);
    }

    /**
     * The brokers, checked: {@code host:port[,host:port...]}, spaces removed. {@code neededBy} names what needs them
     * when they are not set, e.g. {@code "dlq.kafka.enabled=true"}.
     */
    public static String bootstrapServers(Settings s, String neededBy) {
        if (!s.isSet(BOOTSTRAP_SERVERS)) {
            throw new ConfigException(BOOTSTRAP_SERVERS.key() + ": required with " + neededBy
                    + ", expected host:port[,host:port...]");
        }
        String servers = s.getRequired(BOOTSTRAP_SERVERS).trim().replace(" ", "");
        if (!BOOTSTRAP.matcher(servers).matches()) {
            throw new ConfigException(BOOTSTRAP_SERVERS.key()
                    + ": expected host:port[,host:port...] such as kafka-1:9092,kafka-2:9092, got '" + servers + "'");
        }
        return servers;
    }

    /** A topic name Kafka accepts, else a configuration error naming {@code option}. */
    public static String topic(Settings s, ConfigOption<String> option) {
        String topic = s.getRequired(option).trim();
        if (!TOPIC_NAME.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
            throw new ConfigException(option.key()
                    + ": expected a Kafka topic name (letters, digits, '.', '_', '-'), got '" + topic + "'");
        }
        return topic;
    }
}
