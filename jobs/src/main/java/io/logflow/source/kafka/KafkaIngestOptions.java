package io.logflow.source.kafka;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.MemorySize;

import java.util.List;
import java.util.Map;

/**
 * Options of the Kafka ingest source, which reads JSON log events that producers write straight to Kafka. The brokers
 * are {@code kafka.bootstrap-servers} ({@link io.logflow.config.KafkaOptions#BOOTSTRAP_SERVERS}), shared with
 * the workspace registrations and the dead-letter topic.
 */
public final class KafkaIngestOptions {
    private KafkaIngestOptions() {}

    /** Where the source starts reading a partition when the job starts without a checkpoint or savepoint. */
    public enum StartingOffsets {
        /** The oldest record the topic still keeps. */
        EARLIEST,
        /** Records written after the job started. */
        LATEST,
        /** The offsets the consumer group last committed; the oldest record for a partition it never committed. */
        COMMITTED
    }

    public static final ConfigOption<String> TOPICS = ConfigOptions.key("ingest.kafka.topics")
            .stringType()
            .noDefaultValue()
            .withDescription("Comma-separated topics producers write log events to, e.g. 'logs,audit'; set this or "
                    + "ingest.kafka.topic-pattern to turn the Kafka ingest source on.");

    public static final ConfigOption<String> TOPIC_PATTERN = ConfigOptions.key("ingest.kafka.topic-pattern")
            .stringType()
            .noDefaultValue()
            .withDescription("Java regular expression of the topics to read, e.g. 'logs-.*'; new matching topics "
                    + "are picked up. Set this or ingest.kafka.topics.");

    public static final ConfigOption<String> GROUP_ID = ConfigOptions.key("ingest.kafka.group-id")
            .stringType()
            .defaultValue("logflow-ingest")
            .withDescription("Consumer group; the job commits its offsets there on each checkpoint (for monitoring "
                    + "lag, and for ingest.kafka.starting-offsets=COMMITTED).");

    public static final ConfigOption<StartingOffsets> STARTING_OFFSETS =
            ConfigOptions.key("ingest.kafka.starting-offsets")
                    .enumType(StartingOffsets.class)
                    .defaultValue(StartingOffsets.COMMITTED)
                    .withDescription("Where to start without a checkpoint or savepoint: COMMITTED (the group's "
                            + "offsets, else the earliest), EARLIEST or LATEST. A restore from a checkpoint always "
                            + "resumes from the checkpointed offsets.");

    public static final ConfigOption<MemorySize> MAX_RECORD_BYTES = ConfigOptions.key("ingest.kafka.max-record-bytes")
            .memoryType()
            .defaultValue(MemorySize.parse("1 mb"))
            .withDescription("Most bytes one Kafka record value may have; a larger record becomes one "
                    + "'record_too_large' failure.");

    public static final ConfigOption<Integer> MAX_OBJECTS = ConfigOptions.key("ingest.kafka.max-objects")
            .intType()
            .defaultValue(KafkaRecordSplitter.DEFAULT_MAX_OBJECTS)
            .withDescription("Most JSON objects one record (array or NDJSON batch) may hold; a record with more "
                    + "becomes one 'too_many_objects' failure.");

    public static final ConfigOption<Integer> MAX_DEPTH = ConfigOptions.key("ingest.kafka.max-depth")
            .intType()
            .defaultValue(KafkaRecordSplitter.DEFAULT_MAX_DEPTH)
            .withDescription("Deepest nesting of objects and arrays an event may have (the event itself is depth 1); "
                    + "a deeper event becomes a 'too_deep' failure.");

    public static final ConfigOption<String> IDEMPOTENCY_FIELD = ConfigOptions.key("ingest.kafka.idempotency-field")
            .stringType()
            .defaultValue(KafkaRecordSplitter.DEFAULT_IDEMPOTENCY_FIELD)
            .withDescription("Top-level field holding the producer's idempotency key (a field named 'eventId' is "
                    + "accepted too). Events with the same key and routing key are stored once; events without "
                    + "one get an id from their Kafka topic, partition, offset and position.");

    public static final ConfigOption<String> ROUTING_HEADER = ConfigOptions.key("ingest.kafka.routing-header")
            .stringType()
            .defaultValue(KafkaRecordSplitter.DEFAULT_ROUTING_HEADER)
            .withDescription("Kafka header naming the workspace, used when a record has no key and an event has no "
                    + "'workspace' field.");

    public static final ConfigOption<Map<String, String>> PROPERTIES = ConfigOptions.key("ingest.kafka.properties")
            .mapType()
            .noDefaultValue()
            .withDescription("Extra Kafka consumer properties as key:value pairs separated by commas, e.g. "
                    + "'security.protocol:SSL,fetch.max.bytes:52428800'; quote a value holding ':' or ',' with "
                    + "single quotes. bootstrap.servers and group.id come from their own keys.");

    /** Every option above, for the job's list of known keys. */
    public static List<ConfigOption<?>> all() {
        return List.of(TOPICS, TOPIC_PATTERN, GROUP_ID, STARTING_OFFSETS, MAX_RECORD_BYTES, MAX_OBJECTS, MAX_DEPTH,
                IDEMPOTENCY_FIELD, ROUTING_HEADER, PROPERTIES);
    }
}
