package io.logflow.bench.pipeline;

import io.logflow.pipeline.LogSource;
import io.logflow.source.kinesis.KinesisConfig;
import io.logflow.source.kinesis.KinesisLogSource;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

/**
 * The job's CloudWatch input with Kinesis replaced by memory: {@link CloudWatchCorpus} payloads, cycled, through the
 * very decode, multi-line and event-time operators of {@link KinesisLogSource}. Optionally rate-limited (payloads
 * per second), for the latency run.
 */
public final class PayloadSource implements LogSource {
    private final long seed;
    private final int distinctPayloads;
    private final long totalPayloads;
    private final double payloadsPerSecond;
    private final KinesisConfig kinesis;
    private final int failureMaxRawBytes;

    public PayloadSource(long seed, int distinctPayloads, long totalPayloads, double payloadsPerSecond,
            KinesisConfig kinesis, int failureMaxRawBytes) {
        this.seed = seed;
        this.distinctPayloads = distinctPayloads;
        this.totalPayloads = totalPayloads;
        this.payloadsPerSecond = payloadsPerSecond;
        this.kinesis = kinesis;
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public Streams build(StreamExecutionEnvironment env) {
        DataGeneratorSource<byte[]> source = new DataGeneratorSource<>(new Payloads(seed, distinctPayloads),
                totalPayloads, payloadsPerSecond > 0 ? RateLimiterStrategy.perSecond(payloadsPerSecond)
                        : RateLimiterStrategy.noOp(), PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO);
        // Kinesis stamps each record with its arrival time, which the decoder takes as the events' ingest time.
        WatermarkStrategy<byte[]> arrival = WatermarkStrategy.<byte[]>noWatermarks()
                .withTimestampAssigner((payload, none) -> System.currentTimeMillis());
        DataStream<byte[]> records = env.fromSource(source, arrival, "CloudWatch payloads",
                        PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO)
                .uid("bench-payloads")
                .name("CloudWatch payloads from memory");
        return KinesisLogSource.decode(records, kinesis, failureMaxRawBytes);
    }

    /** Payload {@code n} is corpus payload {@code n % distinct}; the corpus is built in the task, not shipped. */
    static final class Payloads implements GeneratorFunction<Long, byte[]> {
        private static final long serialVersionUID = 1L;
        private final long seed;
        private final int distinct;
        private transient List<byte[]> payloads;

        Payloads(long seed, int distinct) {
            this.seed = seed;
            this.distinct = distinct;
        }

        @Override
        public void open(SourceReaderContext readerContext) {
            payloads = CloudWatchCorpus.payloads(seed, distinct, null);
        }

        @Override
        public byte[] map(Long n) {
            Tally.started();
            return payloads.get((int) (n % distinct));
        }
    }
}
