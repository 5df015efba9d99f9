package io.logflow.job;

import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.parse.LogParser;
import io.logflow.parse.ParseOutcome;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Turns raw records into structured events. A record a source could not read, or a line the parser rejects,
 * becomes a {@link Failure} on {@link Outputs#FAILURES}; a blank line is a counted skip. Nothing else is dropped.
 */
public class ParseFunction extends ProcessFunction<RawLog, LogEvent> {
    private static final long serialVersionUID = 1L;

    private final int failureMaxRawBytes;

    private transient LogParser parser;
    private transient Counter eventsOut;
    private transient ReasonCounters failuresByReason;
    private transient ReasonCounters skipsByReason;

    public ParseFunction(int failureMaxRawBytes) {
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public void open(Configuration parameters) {
        parser = new LogParser();
        MetricGroup metrics = getRuntimeContext().getMetricGroup();
        eventsOut = metrics.counter("eventsParsed");
        failuresByReason = new ReasonCounters(metrics.addGroup("failures"));
        skipsByReason = new ReasonCounters(metrics.addGroup("skipped"));
    }

    @Override
    public void processElement(RawLog raw, Context ctx, Collector<LogEvent> out) {
        if (raw.error != null) {
            fail(ctx, FailureStage.SOURCE, raw.error, raw.errorDetail, raw);
            return;
        }
        ParseOutcome outcome = parser.parse(raw);
        switch (outcome.kind) {
            case EVENT:
                eventsOut.inc();
                out.collect(outcome.event);
                break;
            case FAILURE:
                fail(ctx, FailureStage.PARSE, outcome.reason, outcome.detail, raw);
                break;
            case SKIP:
                skipsByReason.inc(outcome.reason);
                break;
            default:
                throw new IllegalStateException("unhandled outcome " + outcome.kind);
        }
    }

    private void fail(Context ctx, FailureStage stage, String reason, String detail, RawLog raw) {
        failuresByReason.inc(reason);
        ctx.output(Outputs.FAILURES, Failure.of(stage, reason, detail, raw, failureMaxRawBytes, raw.receiveTime));
    }
}
