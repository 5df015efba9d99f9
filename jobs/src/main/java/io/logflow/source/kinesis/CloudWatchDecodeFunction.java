package io.logflow.source.kinesis;

import io.logflow.decode.CloudWatchDecoder;
import io.logflow.decode.DecodeResult;
import io.logflow.model.Failure;
import io.logflow.model.RawLog;
import io.logflow.model.RawLogBatchSerializer;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.ReasonCounters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Decodes Kinesis records holding CloudWatch Logs subscription payloads into one {@link RawLog} per log event, handed
 * on as one list per log stream and payload ({@link #BATCH}): a payload is one stream's events, and the multi-line
 * join downstream is keyed by stream, so a payload crosses that exchange as one record (one key hash, one state access
 * and one record's framing per payload instead of per event), its coordinates written once
 * ({@link RawLogBatchSerializer}). Undecodable records become failures on
 * {@link Outputs#FAILURES}; CONTROL_MESSAGE records are counted drops. Never throws on bad input, so one bad record
 * cannot restart the job.
 *
 * <p>Metrics, under the group {@code cloudwatch}: {@code recordsRead}, {@code eventsEmitted},
 * {@code controlMessagesDropped}, {@code bytesCompressed}, {@code bytesDecompressed}, and {@code failures.<reason>}.
 */
public class CloudWatchDecodeFunction extends ProcessFunction<byte[], List<RawLog>> {
    private static final long serialVersionUID = 1L;

    /** The output: consecutive events of one log stream, never empty; the stream's coordinates cross once. */
    public static final TypeInformation<List<RawLog>> BATCH = RawLogBatchSerializer.TYPE;

    private final int maxDecompressedBytes;
    private final int failureMaxRawBytes;

    private transient CloudWatchDecoder decoder;
    private transient Counter recordsRead;
    private transient Counter eventsEmitted;
    private transient Counter controlMessagesDropped;
    private transient Counter bytesCompressed;
    private transient Counter bytesDecompressed;
    private transient ReasonCounters failuresByReason;

    public CloudWatchDecodeFunction(int maxDecompressedBytes, int failureMaxRawBytes) {
        this.maxDecompressedBytes = maxDecompressedBytes;
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new CloudWatchDecoder(maxDecompressedBytes, failureMaxRawBytes);
        MetricGroup metrics = getRuntimeContext().getMetricGroup().addGroup("cloudwatch");
        recordsRead = metrics.counter("recordsRead");
        eventsEmitted = metrics.counter("eventsEmitted");
        controlMessagesDropped = metrics.counter("controlMessagesDropped");
        bytesCompressed = metrics.counter("bytesCompressed");
        bytesDecompressed = metrics.counter("bytesDecompressed");
        failuresByReason = new ReasonCounters(metrics.addGroup("failures"));
    }

    @Override
    public void processElement(byte[] record, Context ctx, Collector<List<RawLog>> out) {
        // The source stamps each record with Kinesis's approximate arrival time: a re-read gives the same value.
        Long arrival = ctx.timestamp();
        // A source without record timestamps stamps Long.MIN_VALUE, which no database could store.
        long receiveTime = arrival != null && arrival != Long.MIN_VALUE ? arrival : System.currentTimeMillis();
        DecodeResult result = decoder.decode(record, receiveTime);

        recordsRead.inc();
        bytesCompressed.inc(record == null ? 0 : record.length);
        bytesDecompressed.inc(result.decompressedBytes());
        controlMessagesDropped.inc(result.controlMessages());
        List<RawLog> events = result.events();
        int start = 0;
        for (int i = 1; i <= events.size(); i++) {
            if (i == events.size() || !sameStream(events.get(start), events.get(i))) {
                out.collect(new ArrayList<>(events.subList(start, i))); // the decoder reuses its list
                start = i;
            }
        }
        eventsEmitted.inc(events.size());
        List<Failure> failures = result.failures();
        for (int i = 0; i < failures.size(); i++) {
            Failure f = failures.get(i);
            failuresByReason.inc(f.reason);
            ctx.output(Outputs.FAILURES, f);
        }
    }

    private static boolean sameStream(RawLog a, RawLog b) {
        return Objects.equals(a.owner, b.owner) && Objects.equals(a.logGroup, b.logGroup)
                && Objects.equals(a.logStream, b.logStream);
    }
}
