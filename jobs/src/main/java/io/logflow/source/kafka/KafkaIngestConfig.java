package io.logflow.source.kafka;

import io.logflow.config.ConfigException;
import io.logflow.config.KafkaOptions;
import io.logflow.config.Settings;
import io.logflow.source.kafka.KafkaIngestOptions.StartingOffsets;
import org.apache.flink.configuration.MemorySize;
import org.apache.kafka.clients.consumer.ConsumerConfig;

import java.io.Serializable;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * The Kafka ingest source's configuration, read once from {@link Settings} and validated: a bad value stops the job with
 * one line naming the key. Serializable, so operators can carry it.
 */
public final class KafkaIngestConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Kafka's legal topic names. */
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    /** Consumer properties that have their own logflow key, or that the source sets itself. */
    private static final List<String> RESERVED = List.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            ConsumerConfig.GROUP_ID_CONFIG, ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
            ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);

    public final String bootstrapServers;
    /** The topics to read, or empty when {@link #topicPattern} is set. */
    public final List<String> topics;
    /** Regular expression of the topics to read, or null when {@link #topics} is set. */
    public final String topicPattern;
    public final String groupId;
    public final StartingOffsets startingOffsets;
    public final int maxRecordBytes;
    public final int maxObjects;
    public final int maxDepth;
    public final String idempotencyField;
    public final String routingHeader;
    /** Extra consumer properties ({@code ingest.kafka.properties}). */
    public final Map<String, String> properties;

    private KafkaIngestConfig(Settings s) {
        bootstrapServers = KafkaOptions.bootstrapServers(s, KafkaIngestOptions.TOPICS.key() + " or " + KafkaIngestOptions.TOPIC_PATTERN.key());
        boolean hasTopics = s.isSet(KafkaIngestOptions.TOPICS);
        boolean hasPattern = s.isSet(KafkaIngestOptions.TOPIC_PATTERN);
        if (hasTopics == hasPattern) {
            throw new ConfigException(KafkaIngestOptions.TOPICS.key() + "/" + KafkaIngestOptions.TOPIC_PATTERN.key()
                    + ": set exactly one of them");
        }
        if (hasTopics) {
            topics = topics(s.getRequired(KafkaIngestOptions.TOPICS));
            topicPattern = null;
        } else {
            topics = List.of();
            topicPattern = s.getRequired(KafkaIngestOptions.TOPIC_PATTERN).trim();
            try {
                Pattern.compile(topicPattern);
            } catch (PatternSyntaxException e) {
                throw new ConfigException(KafkaIngestOptions.TOPIC_PATTERN.key() + ": '" + topicPattern
                        + "' is not a regular expression (" + e.getDescription() + ")");
            }
        }
        groupId = s.getRequired(KafkaIngestOptions.GROUP_ID).trim();
        startingOffsets = s.getRequired(KafkaIngestOptions.STARTING_OFFSETS);
        MemorySize size = s.getRequired(KafkaIngestOptions.MAX_RECORD_BYTES);
        if (size.getBytes() < 1024 || size.getBytes() > Integer.MAX_VALUE - 8) {
            throw new ConfigException(KafkaIngestOptions.MAX_RECORD_BYTES.key()
                    + ": expected a size between 1 kb and 2 gb, got '" + size.toHumanReadableString() + "'");
        }
        maxRecordBytes = (int) size.getBytes();
        maxObjects = s.getPositiveInt(KafkaIngestOptions.MAX_OBJECTS);
        maxDepth = s.getPositiveInt(KafkaIngestOptions.MAX_DEPTH);
        idempotencyField = field(KafkaIngestOptions.IDEMPOTENCY_FIELD.key(),
                s.getRequired(KafkaIngestOptions.IDEMPOTENCY_FIELD));
        routingHeader = field(KafkaIngestOptions.ROUTING_HEADER.key(), s.getRequired(KafkaIngestOptions.ROUTING_HEADER));
        Map<String, String> extra = new LinkedHashMap<>(s.getOptional(KafkaIngestOptions.PROPERTIES).orElse(Map.of()));
        for (String key : extra.keySet()) {
            if (RESERVED.contains(key.trim())) {
                throw new ConfigException(KafkaIngestOptions.PROPERTIES.key() + ": '" + key + "' cannot be set here"
                        + " (bootstrap servers, group id and offsets have their own keys; the source sets the rest)");
            }
        }
        properties = Map.copyOf(extra);
    }

    /** True when the Kafka ingest source is turned on: topics or a topic pattern is set. */
    public static boolean isConfigured(Settings s) {
        return s.isSet(KafkaIngestOptions.TOPICS) || s.isSet(KafkaIngestOptions.TOPIC_PATTERN);
    }

    /** Reads and checks every {@code ingest.kafka.*} key and {@code kafka.bootstrap-servers}. */
    public static KafkaIngestConfig from(Settings s) {
        return new KafkaIngestConfig(s);
    }

    /** The splitter these limits describe. */
    public KafkaRecordSplitter splitter() {
        return new KafkaRecordSplitter(maxRecordBytes, maxObjects, maxDepth, idempotencyField, routingHeader);
    }

    /** {@link #properties} as the {@code Properties} the Kafka source builder takes. */
    public Properties consumerProperties() {
        Properties props = new Properties();
        props.putAll(properties);
        return props;
    }

    /** What the source reads, for operator names. */
    public String describeTopics() {
        return topicPattern != null ? "/" + topicPattern + "/" : String.join(",", topics);
    }

    private static List<String> topics(String value) {
        List<String> topics = Arrays.stream(value.split(","))
                .map(String::trim)
                .filter(t -> !t.isEmpty())
                .distinct()
                .collect(Collectors.toList());
        if (topics.isEmpty()) {
            throw new ConfigException(KafkaIngestOptions.TOPICS.key() + ": expected topic names separated by commas,"
                    + " got '" + value + "'");
        }
        for (String topic : topics) {
            if (!TOPIC.matcher(topic).matches()) {
                throw new ConfigException(KafkaIngestOptions.TOPICS.key() + ": '" + topic + "' is not a Kafka topic "
                        + "name (letters, digits, '.', '_' and '-', at most 249)");
            }
        }
        return List.copyOf(topics);
    }

    private static String field(String key, String value) {
        String name = value.trim();
        if (name.isEmpty()) {
            throw new ConfigException(key + ": expected a field name, got '" + value + "'");
        }
        return name;
    }

    @Override
    public String toString() {
        return "KafkaIngestConfig{" + describeTopics() + " at " + bootstrapServers + ", group=" + groupId
                + ", startingOffsets=" + startingOffsets + ", maxRecordBytes=" + maxRecordBytes + ", maxObjects="
                + maxObjects + ", maxDepth=" + maxDepth + ", idempotencyField=" + idempotencyField
                + ", routingHeader=" + routingHeader + ", properties=" + properties.keySet() + '}';
    }
}
