package io.logflow.source.kinesis;

import io.logflow.model.RawLog;
import io.logflow.pipeline.LogSource;
import io.logflow.pipeline.Outputs;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

/**
 * CloudWatch Logs subscription payloads from a Kinesis stream: the FLIP-27 {@code KinesisStreamsSource} (checkpointed
 * shard positions) read through {@link PacedKinesisSource}, and the decode step.
 *
 * <p>The uids {@code kinesis-source} and {@code cloudwatch-decode} are part of the savepoint contract; so is
 * {@code cloudwatch-multiline}, for one version ({@link EarlierJoinerState}).
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
        DataStream<byte[]> records = env.fromSource(
                        source, WatermarkStrategy.noWatermarks(), "Kinesis: " + config.streamName(),
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("kinesis-source")
                .name("Read Kinesis stream " + config.streamName());

        return decode(records, config, failureMaxRawBytes);
    }

    /**
     * What the job does with the stream's records here: decode each payload into a batch of one log stream's events.
     * (Joining multi-line events per log stream happens after the job keys the batches by routing key, in the parse
     * step.) Public so that the benchmark feeds the same operator from memory.
     */
    public static Streams decode(DataStream<byte[]> records, KinesisConfig config, int failureMaxRawBytes) {
        SingleOutputStreamOperator<List<RawLog>> decoded = records
                .process(new CloudWatchDecodeFunction(config.maxDecompressedBytes, failureMaxRawBytes),
                        CloudWatchDecodeFunction.BATCH)
                .uid("cloudwatch-decode")
                .name("Decode CloudWatch payloads");
        // Only for a restore from a savepoint of the version before the one exchange: what its joiner held. No record
        // passes the filter, so this exchange carries none.
        DataStream<List<RawLog>> earlier = decoded
                .filter(batch -> false)
                .uid("cloudwatch-multiline-input")
                .name("Nothing (restore of an earlier joiner)")
                .keyBy(new EarlierJoinerState.LogStreamKey())
                .transform("Events held by an earlier joiner", CloudWatchDecodeFunction.BATCH,
                        new EarlierJoinerState.Operator(new EarlierJoinerState()))
                .uid("cloudwatch-multiline")
                .name("Events held by an earlier joiner");
        return new Streams(decoded.union(earlier), decoded.getSideOutput(Outputs.FAILURES));
    }
}
