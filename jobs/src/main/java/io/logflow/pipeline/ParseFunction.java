package io.logflow.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.UploadStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * The step between the sources and the template step of a job without workspaces (and of a replay, before its
 * enrichment), keyed by routing key: a key's raw records are joined, parsed and counted ({@link RecordsToEvents}).
 * Failures leave on {@link Outputs#FAILURES}, upload progress on {@link Outputs#UPLOADS}; {@link ParseOperator} lets
 * the joins' buffered records out at the end of the input.
 */
public class ParseFunction extends KeyedProcessFunction<String, List<RawLog>, LogEvent>
        implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final RecordsToEvents records;
    private transient CallOutput output;

    public ParseFunction(RecordsToEvents records) {
        this.records = records;
    }

    @Override
    public void open(Configuration parameters) {
        records.open(getRuntimeContext());
        output = new CallOutput();
    }

    @Override
    public void processElement(List<RawLog> batch, Context ctx, Collector<LogEvent> out) throws Exception {
        records.process(batch, ctx.timerService(), output.to(ctx, out));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LogEvent> out) throws Exception {
        records.onTimer(timestamp, ctx.timerService(), output.to(ctx, out));
    }

    /** Lets out the current key's buffered multi-line records; for {@link ParseOperator} at the end of the input. */
    void finishAtEndOfInput(RecordsToEvents.Output out) throws Exception {
        records.flushJoinsAtEndOfInput(out);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        records.snapshotState();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        records.initializeState(context);
    }

    /** One instance, pointed at each call's context. */
    private static final class CallOutput implements RecordsToEvents.Output {
        private Context ctx;
        private Collector<LogEvent> out;

        CallOutput to(Context ctx, Collector<LogEvent> out) {
            this.ctx = ctx;
            this.out = out;
            return this;
        }

        @Override
        public void event(LogEvent event) {
            out.collect(event);
        }

        @Override
        public void failure(Failure failure) {
            ctx.output(Outputs.FAILURES, failure);
        }

        @Override
        public void upload(UploadStatus status) {
            ctx.output(Outputs.UPLOADS, status);
        }
    }
}
