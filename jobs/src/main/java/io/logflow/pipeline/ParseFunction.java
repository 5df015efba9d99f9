package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.Marker;
import io.logflow.model.RawLog;
import io.logflow.model.UploadStatus;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import io.logflow.parse.ParserOptions;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.HashMap;
import java.util.Map;

/**
 * Turns raw records into structured events. A record a source could not read, or a line the parser rejects,
 * becomes a {@link Failure} on {@link Outputs#FAILURES}; a blank line is a counted skip. Nothing else is dropped.
 *
 * <p>It also keeps the per-file counts of uploads: a file's records arrive here in order between its
 * {@link Marker#FILE_START} and {@link Marker#FILE_END} (the source is chained to this operator), and each marker
 * becomes an {@link UploadStatus} on {@link Outputs#UPLOADS}. Counts of files in progress are checkpointed.
 */
public class ParseFunction extends ProcessFunction<RawLog, LogEvent> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    /** The counted drop of a CloudWatch CONTROL_MESSAGE delivered in a file. */
    public static final String REASON_CONTROL_MESSAGE = "control_message";

    private final ParserOptions options;
    private final int failureMaxRawBytes;

    private transient LogParser parser;
    private transient Counter eventsOut;
    private transient ReasonCounters failuresByReason;
    private transient ReasonCounters skipsByReason;
    /** Files being read by the source chained to this subtask, by path and version. */
    private transient Map<String, UploadStatus> uploads;
    private transient ListState<UploadStatus> uploadsState;

    public ParseFunction(ParserOptions options, int failureMaxRawBytes) {
        this.options = options;
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public void open(Configuration parameters) {
        parser = new LogParser(options);
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        eventsOut = metrics.counter("eventsParsed");
        failuresByReason = new ReasonCounters(metrics.addGroup("failures"));
        skipsByReason = new ReasonCounters(metrics.addGroup("skipped"));
    }

    @Override
    public void processElement(RawLog raw, Context ctx, Collector<LogEvent> out) {
        if (raw.marker != null) {
            onMarker(raw, ctx);
            return;
        }
        UploadStatus upload = raw.path == null ? null : uploads.get(key(raw.path, raw.version));
        ParseOutcome outcome = parser.parse(raw);
        switch (outcome.kind) {
            case EVENT:
                eventsOut.inc();
                if (upload != null) {
                    upload.events++;
                }
                out.collect(outcome.event);
                break;
            case FAILURE:
                FailureStage stage = raw.error != null ? FailureStage.SOURCE : FailureStage.PARSE;
                failuresByReason.inc(outcome.reason);
                if (upload != null) {
                    upload.failures++;
                }
                Failure failure = Failure.of(stage, outcome.reason, outcome.detail, raw, failureMaxRawBytes,
                        raw.receiveTime);
                if (stage == FailureStage.PARSE) {
                    failure.record = EventRecords.rawToJson(raw); // a replay re-parses it after a fix
                }
                ctx.output(Outputs.FAILURES, failure);
                break;
            case SKIP:
                skipsByReason.inc(outcome.reason);
                if (upload != null) {
                    upload.skipped++;
                }
                break;
            default:
                throw new IllegalStateException("unhandled outcome " + outcome.kind);
        }
    }

    private void onMarker(RawLog marker, Context ctx) {
        String key = key(marker.path, marker.version);
        if (marker.marker == Marker.CLOUDWATCH_CONTROL) {
            skipsByReason.inc(REASON_CONTROL_MESSAGE);
            UploadStatus upload = uploads.get(key);
            if (upload != null) {
                upload.skipped++;
            }
            return;
        }
        if (marker.marker == Marker.FILE_START) {
            UploadStatus status = UploadStatus.processing(marker.path, marker.version, marker.fileBytes,
                    marker.receiveTime);
            uploads.put(key, status);
            ctx.output(Outputs.UPLOADS, copy(status));
            return;
        }
        UploadStatus status = uploads.remove(key);
        if (status == null) { // counts lost to a rescale mid-file; report what is known
            status = UploadStatus.processing(marker.path, marker.version, marker.fileBytes, marker.receiveTime);
        }
        status.status = marker.error == null ? UploadStatus.DONE : UploadStatus.FAILED;
        status.error = marker.error;
        status.lines = marker.line;
        status.time = marker.receiveTime;
        ctx.output(Outputs.UPLOADS, status);
    }

    private static UploadStatus copy(UploadStatus s) {
        UploadStatus c = UploadStatus.processing(s.path, s.version, s.bytes, s.time);
        c.lines = s.lines;
        c.events = s.events;
        c.failures = s.failures;
        c.skipped = s.skipped;
        return c;
    }

    private static String key(String path, String version) {
        return path + '\n' + version;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        uploadsState.update(new java.util.ArrayList<>(uploads.values()));
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Restored to the same subtask as the source split it counts, as long as the parallelism is unchanged. After a
        // rescale mid-file, that file's row in `uploads` may undercount (its data is unaffected).
        uploadsState = context.getOperatorStateStore().getListState(
                new ListStateDescriptor<>("uploads-in-progress", TypeInformation.of(UploadStatus.class)));
        uploads = new HashMap<>();
        for (UploadStatus s : uploadsState.get()) {
            uploads.put(key(s.path, s.version), s);
        }
    }
}
