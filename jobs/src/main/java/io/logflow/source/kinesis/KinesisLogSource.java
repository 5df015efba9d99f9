package io.logflow.source.kinesis;

import io.logflow.model.RawLog;
import io.logflow.parse.multiline.MultilineJoiner;
import io.logflow.pipeline.LogSource;
import io.logflow.pipeline.Outputs;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

/**
 * CloudWatch Logs subscription payloads from a Kinesis stream: the FLIP-27 {@code KinesisStreamsSource} (checkpointed
 * shard positions) read through {@link PacedKinesisSource}, the decode step, and event-time watermarks from the CloudWatch timestamps.
 *
 * <p>The uids {@code kinesis-source}, {@code cloudwatch-decode} and {@code cloudwatch-watermarks} are part of the
 * savepoint contract.
 */
public class KinesisLogSource implements LogSource {
    private final KinesisConfig config;
    private final int failureMaxRawBytes;

    public KinesisLogSource(KinesisConfig config, int failureMaxRawBytes) {
        this.config = config;
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public Streams build(StreamExecutionEnvironment env) {
        // The connector's source, read through a reader that pauses idle shards (kinesis.empty-fetch-interval).
        PacedKinesisSource<byte[]> source = new PacedKinesisSource<>(config.streamArn, config.sourceConfiguration(),
                new RawBytesSchema(), config.emptyFetchInterval);
        // Watermarks come after decoding: only the decoded events carry CloudWatch timestamps.
        DataStream<byte[]> records = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "Kinesis: " + config.streamName(),
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("kinesis-source")
                .name("Read Kinesis stream " + config.streamName());

        return decode(records, config, failureMaxRawBytes);
    }

    /**
     * What the job does with the stream's records: decode, join multi-line events, event time. Public so that the
     * benchmark feeds the same operators from memory.
     */
    public static Streams decode(DataStream<byte[]> records, KinesisConfig config, int failureMaxRawBytes) {
        SingleOutputStreamOperator<List<RawLog>> decoded = records
                .process(new CloudWatchDecodeFunction(config.maxDecompressedBytes, failureMaxRawBytes),
                        CloudWatchDecodeFunction.BATCH)
                .uid("cloudwatch-decode")
                .name("Decode CloudWatch payloads");

        // A Lambda writes each line of a stack trace as its own event: join them per log stream first.
        DataStream<RawLog> joined = decoded
                .keyBy(new CloudWatchMultilineFunction.LogStreamKey())
                .transform("Join multi-line CloudWatch events", TypeInformation.of(RawLog.class),
                        new CloudWatchMultilineOperator(new CloudWatchMultilineFunction(
                                MultilineJoiner.DEFAULT_MAX_LINES, MultilineJoiner.DEFAULT_MAX_BYTES,
                                config.multilineFlushTimeout.toMillis())))
                .uid("cloudwatch-multiline")
                .name("Join multi-line CloudWatch events");

        // No operator between here and the metrics uses these watermarks (the metrics assign their own). The node
        // stays for savepoints: the ids Flink derives for the metrics' SQL operators count the nodes before them, so
        // removing it would orphan their window state. Drop it with the next change that re-keys the job anyway.
        DataStream<RawLog> events = joined
                .assignTimestampsAndWatermarks(
                        CloudWatchTimestamps.strategy(config.maxOutOfOrderness, config.idleness))
                .uid("cloudwatch-watermarks")
                .name("CloudWatch event time");
        return new Streams(events, decoded.getSideOutput(Outputs.FAILURES));
    }
}
