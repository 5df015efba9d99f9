package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.Marker;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.model.UploadStatus;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import io.logflow.parse.ParserOptions;
import io.logflow.parse.multiline.MultilineJoiner;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.streaming.api.TimerService;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What happens to a routing key's raw records before enrichment, inside the one operator keyed by routing key that
 * runs it ({@link ParseFunction}, or the enrichment's): CloudWatch events of one log stream are joined into multi-line
 * events, every record is parsed, and uploads are counted per file. Keying by routing key keeps every log stream and
 * every file of that key on one subtask, in order, so the event crosses the network once, as a raw record.
 *
 * <ul>
 *   <li><b>Join:</b> the one buffered record of each log stream waits in map state under the routing key; one
 *       processing-time timer per key lets out the records of streams that went quiet for the flush timeout.</li>
 *   <li><b>Parse:</b> an event, a failure on {@link Output#failure} (a record the source could not read, a line the
 *       parser rejects), or a counted skip (a blank line, a CloudWatch CONTROL_MESSAGE delivered in a file).</li>
 *   <li><b>Uploads:</b> a file's records arrive between its {@link Marker#FILE_START} and {@link Marker#FILE_END}
 *       (its markers carry its routing key); each marker becomes an {@link UploadStatus}. Counts of files in
 *       progress are operator state.</li>
 * </ul>
 */
public final class RecordsToEvents implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The counted drop of a CloudWatch CONTROL_MESSAGE delivered in a file. */
    public static final String REASON_CONTROL_MESSAGE = "control_message";

    /** The time of the key's join timer; every key with a buffered record has one, which the end of input walks. */
    public static final ValueStateDescriptor<Long> JOIN_TIMER =
            new ValueStateDescriptor<>("multiline-timer", Types.LONG);
    private static final MapStateDescriptor<String, RawLog> JOIN_PENDING = new MapStateDescriptor<>(
            "multiline-pending", Types.STRING, TypeInformation.of(RawLog.class));
    private static final ListStateDescriptor<UploadStatus> UPLOADS_IN_PROGRESS =
            new ListStateDescriptor<>("uploads-in-progress", TypeInformation.of(UploadStatus.class));

    /** Where the results go: the calling function's collector and side outputs. */
    public interface Output {
        void event(LogEvent event) throws Exception;

        void failure(Failure failure);

        void upload(UploadStatus status);
    }

    private final ParserOptions options;
    private final int failureMaxRawBytes;
    private final long joinFlushTimeoutMs;

    private transient LogParser parser;
    private transient MultilineJoiner joiner;
    private transient MapState<String, RawLog> joinPending;
    private transient ValueState<Long> joinTimer;
    /** The stream and state object the joiner was last left holding: the next batch of that stream needs no restore. */
    private transient String joinerStream;
    private transient RawLog joinerState;
    private transient Counter eventsOut;
    private transient Counter joined;
    private transient ReasonCounters failuresByReason;
    private transient ReasonCounters skipsByReason;
    /** Files being read, by path and version. */
    private transient Map<String, UploadStatus> uploads;
    private transient ListState<UploadStatus> uploadsState;

    public RecordsToEvents(ParserOptions options, int failureMaxRawBytes, long joinFlushTimeoutMs) {
        this.options = options;
        this.failureMaxRawBytes = failureMaxRawBytes;
        this.joinFlushTimeoutMs = joinFlushTimeoutMs;
    }

    /** Creates the parser, the keyed state handles and the metrics; from the owning function's {@code open}. */
    public void open(RuntimeContext context) {
        parser = new LogParser(options);
        joiner = new MultilineJoiner(MultilineJoiner.DEFAULT_MAX_LINES, MultilineJoiner.DEFAULT_MAX_BYTES,
                joinFlushTimeoutMs);
        joinPending = context.getMapState(JOIN_PENDING);
        joinTimer = context.getState(JOIN_TIMER);
        MetricGroup metrics = context.getMetricGroup();
        eventsOut = metrics.counter("eventsParsed");
        joined = metrics.addGroup("cloudwatch").counter("eventsJoined");
        failuresByReason = new ReasonCounters(metrics.addGroup("failures"));
        skipsByReason = new ReasonCounters(metrics.addGroup("skipped"));
    }

    /** Takes a batch of the current routing key: a CloudWatch payload's events of one stream, or one record. */
    public void process(List<RawLog> batch, TimerService timers, Output out) throws Exception {
        RawLog first = batch.get(0);
        if (first.source == SourceKind.CLOUDWATCH && first.path == null) {
            join(batch, timers, out);
            return;
        }
        // A file's records, a Firehose object's CloudWatch events among them, are parsed as they come: each is a line
        // of its upload's row.
        for (int i = 0; i < batch.size(); i++) {
            RawLog raw = batch.get(i);
            if (raw.marker != null) {
                onMarker(raw, out);
            } else {
                parse(raw, out);
            }
        }
    }

    /** For a timer of the current key: lets out the buffered records of its streams that went quiet. */
    public void onTimer(long timestamp, TimerService timers, Output out) throws Exception {
        Long due = joinTimer.value();
        if (due == null || due > timestamp) {
            return; // the enrichment's timer, or one left behind after the streams were let out
        }
        joinTimer.clear();
        long next = Long.MAX_VALUE;
        for (Map.Entry<String, RawLog> waiting : entries()) {
            joiner.restore(waiting.getValue());
            List<RawLog> done = joiner.flushIfIdle(timestamp);
            for (int i = 0; i < done.size(); i++) {
                parse(done.get(i), out);
            }
            if (joiner.hasPending()) {
                next = Math.min(next, joiner.nextFlushTime());
            } else {
                joinPending.remove(waiting.getKey());
            }
        }
        forgetJoiner();
        if (next != Long.MAX_VALUE) {
            timers.registerProcessingTimeTimer(next);
            joinTimer.update(next);
        }
    }

    /**
     * Lets out the current key's buffered records and clears its join state: for the end of the input (a bounded run, a
     * stop with {@code --drain}), when Flink drops the timers that would have. A timer left registered finds nothing.
     */
    public void flushJoinsAtEndOfInput(Output out) throws Exception {
        for (Map.Entry<String, RawLog> waiting : entries()) {
            joiner.restore(waiting.getValue());
            List<RawLog> done = joiner.flush();
            for (int i = 0; i < done.size(); i++) {
                parse(done.get(i), out);
            }
        }
        joinPending.clear();
        joinTimer.clear();
        forgetJoiner();
    }

    private void join(List<RawLog> batch, TimerService timers, Output out) throws Exception {
        RawLog first = batch.get(0);
        String stream = first.owner + '/' + first.logGroup + '/' + first.logStream;
        // Consecutive payloads often come from one stream, so the joiner may still hold its record. The heap backend
        // hands back the very object stored, so identity tells (any other backend, a copy-on-write during a snapshot
        // or a restore gives another object, and the joiner is rebuilt).
        RawLog state = joinPending.get(stream);
        if (state != joinerState || !stream.equals(joinerStream)) {
            joiner.restore(state);
        }
        for (int i = 0; i < batch.size(); i++) {
            RawLog raw = batch.get(i);
            boolean hadPending = joiner.hasPending();
            List<RawLog> completed = joiner.offer(raw);
            if (hadPending && completed.isEmpty() && raw.error == null && raw.text != null) {
                joined.inc(); // this event's text went into the buffered record
            }
            for (int c = 0; c < completed.size(); c++) {
                parse(completed.get(c), out);
            }
        }
        RawLog pending = joiner.pending();
        joinerStream = stream;
        joinerState = pending;
        if (pending == null) {
            if (state != null) {
                joinPending.remove(stream);
            }
            return;
        }
        joinPending.put(stream, pending);
        // One timer per key, not moved on every batch: when it fires before a stream is idle, onTimer sets it again.
        if (joinTimer.value() == null) {
            long at = joiner.nextFlushTime();
            timers.registerProcessingTimeTimer(at);
            joinTimer.update(at);
        }
    }

    /** A copy of the key's buffered records, so that the state can change while they are handled. */
    private List<Map.Entry<String, RawLog>> entries() throws Exception {
        List<Map.Entry<String, RawLog>> all = new ArrayList<>();
        for (Map.Entry<String, RawLog> e : joinPending.entries()) {
            all.add(Map.entry(e.getKey(), e.getValue()));
        }
        return all;
    }

    private void forgetJoiner() {
        joinerStream = null;
        joinerState = null;
    }

    private void parse(RawLog raw, Output out) throws Exception {
        UploadStatus upload = raw.path == null || uploads.isEmpty() ? null : uploads.get(key(raw.path, raw.version));
        ParseOutcome outcome = parser.parse(raw);
        switch (outcome.kind) {
            case EVENT:
                eventsOut.inc();
                if (upload != null) {
                    upload.events++;
                }
                out.event(outcome.event);
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
                out.failure(failure);
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

    private void onMarker(RawLog marker, Output out) {
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
            out.upload(copy(status));
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
        out.upload(status);
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

    /** From the owning function's {@code snapshotState}. */
    public void snapshotState() throws Exception {
        uploadsState.update(new ArrayList<>(uploads.values()));
    }

    /** From the owning function's {@code initializeState}. */
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // Operator state, so after a rescale mid-file a file's counts may land on another subtask than its records;
        // its `uploads` row then undercounts (its data is unaffected).
        uploadsState = context.getOperatorStateStore().getListState(UPLOADS_IN_PROGRESS);
        uploads = new HashMap<>();
        for (UploadStatus s : uploadsState.get()) {
            uploads.put(key(s.path, s.version), s);
        }
    }
}
