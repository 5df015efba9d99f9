package io.logflow.workspace;

import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;

/**
 * The stream of registrations: the compacted Kafka topic read from its beginning (every start rebuilds the broadcast
 * state; a restore from a checkpoint resumes where it was), or the registrations file of a local run. One reader:
 * the topic is small and its order per workspace id matters.
 *
 * <p>The stream carries a watermark of +∞: it must not hold back event time of the events it is connected with.
 */
public final class WorkspaceRegistrations {
    public static final String UID = "workspace-registrations";
    public static final String NAME = "Workspace registrations";

    private WorkspaceRegistrations() {}

    public static DataStream<WorkspaceChange> stream(StreamExecutionEnvironment env, WorkspaceConfig config) {
        TypeInformation<WorkspaceChange> type = TypeInformation.of(WorkspaceChange.class);
        if (config.file != null) {
            FileSource<String> source = FileSource
                    .forRecordStreamFormat(new TextLineInputFormat(StandardCharsets.UTF_8.name()), new Path(config.file))
                    .build();
            return env.fromSource(source, WatermarkStrategy.noWatermarks(), NAME + " (file)", Types.STRING_TYPE)
                    .uid(UID + "-file")
                    .name(NAME + " (file)")
                    .setParallelism(1)
                    .flatMap((String line, Collector<WorkspaceChange> out) -> {
                        WorkspaceChange change = WorkspaceRecords.fromFileLine(line);
                        if (change != null) {
                            out.collect(change);
                        }
                    }, type)
                    .uid(UID)
                    .name(NAME)
                    .setParallelism(1)
                    .assignTimestampsAndWatermarks(ignoredByEventTime())
                    .uid(UID + "-watermarks")
                    .name(NAME + ": no event-time hold")
                    .setParallelism(1);
        }
        // A BATCH run (backfill, replay) needs bounded inputs: the registrations as they stand when it starts.
        boolean batch = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        return env.fromSource(kafkaSource(config, batch), ignoredByEventTime(), NAME, type)
                .uid(UID)
                .name(NAME)
                .setParallelism(1);
    }

    public static KafkaSource<WorkspaceChange> kafkaSource(WorkspaceConfig config) {
        return kafkaSource(config, false);
    }

    /** With {@code boundedAtLatest}, the source stops at the offsets the topic has when the job starts. */
    public static KafkaSource<WorkspaceChange> kafkaSource(WorkspaceConfig config, boolean boundedAtLatest) {
        KafkaSourceBuilder<WorkspaceChange> builder = KafkaSource.<WorkspaceChange>builder()
                .setBootstrapServers(config.bootstrapServers)
                .setTopics(config.topic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new RecordDeserializer())
                .setClientIdPrefix("logflow-workspaces")
                // No consumer group: the job's checkpoints hold the offsets, a fresh start re-reads from the beginning.
                .setProperty("commit.offsets.on.checkpoint", "false");
        if (boundedAtLatest) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /** Records → changes: a tombstone deletes, an unreadable value is passed on as invalid (reported, ignored). */
    public static final class RecordDeserializer implements KafkaRecordDeserializationSchema<WorkspaceChange> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<WorkspaceChange> out) {
            String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
            String value = record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
            out.collect(WorkspaceRecords.fromRecord(key, value));
        }

        @Override
        public TypeInformation<WorkspaceChange> getProducedType() {
            return TypeInformation.of(WorkspaceChange.class);
        }
    }

    /** Watermark +∞ at once: a two-input operator takes the minimum, so this input never holds event time back. */
    static <T> WatermarkStrategy<T> ignoredByEventTime() {
        return WatermarkStrategy.forGenerator(ctx -> new WatermarkGenerator<T>() {
            @Override
            public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput output) {
                output.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }

    private static final class Types {
        static final TypeInformation<String> STRING_TYPE = org.apache.flink.api.common.typeinfo.Types.STRING;
    }
}
