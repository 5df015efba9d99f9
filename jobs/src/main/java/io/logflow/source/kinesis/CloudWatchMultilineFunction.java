package io.logflow.source.kinesis;

import io.logflow.model.RawLog;
import io.logflow.parse.multiline.MultilineJoiner;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;
import java.util.function.Consumer;

/**
 * Joins consecutive CloudWatch events of one log stream that belong to one event: a Lambda writes each line of a stack
 * trace as its own event. Keyed by log stream, it takes a payload's events of one stream at a time
 * ({@link CloudWatchDecodeFunction#BATCH}) and hands on single events. The one buffered record lives in keyed state,
 * and a processing-time timer lets it out when its stream goes quiet for the flush timeout. Continuation events are
 * not lost: their text is in the joined record, which keeps the first event's id (counted in
 * {@code cloudwatch.eventsJoined}).
 *
 * <p>Per batch the buffered record is restored from state and written back, which costs in proportion to it; the
 * joiner's line and byte limits bound that.
 */
public class CloudWatchMultilineFunction extends KeyedProcessFunction<String, List<RawLog>, RawLog> {
    private static final long serialVersionUID = 1L;

    /** The stream's buffered record; every stream with one has it here, which the end of input walks. */
    static final ValueStateDescriptor<RawLog> BUFFERED =
            new ValueStateDescriptor<>("buffered-event", TypeInformation.of(RawLog.class));

    private final int maxLines;
    private final int maxBytes;
    private final long flushTimeoutMs;

    private transient MultilineJoiner joiner;
    private transient ValueState<RawLog> buffered;
    private transient ValueState<Long> timer;
    private transient Counter joined;
    /** The key and state object the joiner was last left holding: the next event of that stream needs no restore. */
    private transient String joinerKey;
    private transient RawLog joinerState;

    public CloudWatchMultilineFunction(int maxLines, int maxBytes, long flushTimeoutMs) {
        this.maxLines = maxLines;
        this.maxBytes = maxBytes;
        this.flushTimeoutMs = flushTimeoutMs;
    }

    /** The stream a batch of CloudWatch events belongs to (all of a batch's events are of one stream). */
    public static final class LogStreamKey implements KeySelector<List<RawLog>, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(List<RawLog> batch) {
            RawLog raw = batch.get(0);
            return raw.owner + '/' + raw.logGroup + '/' + raw.logStream;
        }
    }

    @Override
    public void open(Configuration parameters) {
        joiner = new MultilineJoiner(maxLines, maxBytes, flushTimeoutMs);
        buffered = getRuntimeContext().getState(BUFFERED);
        timer = getRuntimeContext().getState(new ValueStateDescriptor<>("flush-timer", Types.LONG));
        joined = getRuntimeContext().getMetricGroup().addGroup("cloudwatch").counter("eventsJoined");
    }

    @Override
    public void processElement(List<RawLog> batch, Context ctx, Collector<RawLog> out) throws Exception {
        // Consecutive payloads often come from one stream, so the joiner may still hold this stream's record. The
        // heap backend hands back the very object stored, so identity tells (any other backend, a copy-on-write during
        // a snapshot or a restore gives another object, and the joiner is rebuilt).
        RawLog state = buffered.value();
        if (state != joinerState || !ctx.getCurrentKey().equals(joinerKey)) {
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
                out.collect(completed.get(c));
            }
        }
        store(ctx);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<RawLog> out) throws Exception {
        timer.clear();
        joiner.restore(buffered.value());
        joiner.flushIfIdle(timestamp).forEach(out::collect);
        store(ctx);
    }

    /**
     * Hands on the current key's buffered record and clears its state: for the end of the input (a bounded run, a stop
     * with {@code --drain}), when Flink drops the processing-time timers that would have let it out
     * ({@link CloudWatchMultilineOperator}). A timer left registered finds nothing when it fires.
     */
    void flushAtEndOfInput(Consumer<RawLog> out) throws Exception {
        joiner.restore(buffered.value());
        joiner.flush().forEach(out);
        buffered.clear();
        timer.clear();
        joinerKey = null;
        joinerState = null;
    }

    /**
     * Writes the buffered record back and keeps one timer, both cleared when nothing waits. The timer is not moved
     * on every event (that was a delete and a register per event): when it fires before the stream is idle,
     * {@link #onTimer} finds nothing to flush and this sets it again at the new flush time.
     */
    private void store(Context ctx) throws Exception {
        RawLog pending = joiner.pending();
        Long registered = timer.value();
        joinerKey = ctx.getCurrentKey();
        joinerState = pending;
        if (pending == null) {
            buffered.clear();
            if (registered != null) {
                ctx.timerService().deleteProcessingTimeTimer(registered);
                timer.clear();
            }
            return;
        }
        buffered.update(pending);
        if (registered == null) {
            long flushAt = joiner.nextFlushTime();
            ctx.timerService().registerProcessingTimeTimer(flushAt);
            timer.update(flushAt);
        }
    }
}
