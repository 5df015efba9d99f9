package io.logflow.source.kafka;

import io.logflow.model.RawLog;
import io.logflow.pipeline.LogSource;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

import java.util.regex.Pattern;

/**
 * JSON log events that producers write straight to Kafka: single objects, JSON arrays or NDJSON batches, split and
 * validated per object by {@link KafkaRawLogSchema} inside the FLIP-27 {@link KafkaSource} (checkpointed offsets,
 * committed to the consumer group on each checkpoint). Rejected objects travel on as RawLogs with their reason; the
 * parse step turns them into failures, so this source has no failure stream of its own.
 *
 * <p>The uids {@code kafka-ingest-source} and {@code kafka-ingest-batches} are part of the savepoint contract.
 */
public class KafkaLogSource implements LogSource {
    private final KafkaIngestConfig config;

    public KafkaLogSource(KafkaIngestConfig config) {
        this.config = config;
    }

    @Override
    public Streams build(StreamExecutionEnvironment env) {
        DataStream<RawLog> records = env.fromSource(
                        source(), WatermarkStrategy.noWatermarks(), "Kafka ingest: " + config.describeTopics(),
                        TypeInformation.of(RawLog.class))
                .uid("kafka-ingest-source")
                .name("Read Kafka log topics " + config.describeTopics());
        return Streams.ofRecords(records, "kafka-ingest-batches");
    }

    KafkaSource<RawLog> source() {
        KafkaSourceBuilder<RawLog> builder = KafkaSource.<RawLog>builder()
                .setProperties(config.consumerProperties())
                .setBootstrapServers(config.bootstrapServers)
                .setGroupId(config.groupId)
                .setClientIdPrefix(config.groupId)
                .setStartingOffsets(startingOffsets())
                .setDeserializer(new KafkaRawLogSchema(config));
        if (config.topicPattern != null) {
            builder.setTopicPattern(Pattern.compile(config.topicPattern));
        } else {
            builder.setTopics(config.topics);
        }
        return builder.build();
    }

    private OffsetsInitializer startingOffsets() {
        switch (config.startingOffsets) {
            case EARLIEST:
                return OffsetsInitializer.earliest();
            case LATEST:
                return OffsetsInitializer.latest();
            case COMMITTED:
                return OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            default:
                throw new IllegalStateException("unhandled starting offsets " + config.startingOffsets);
        }
    }
}
