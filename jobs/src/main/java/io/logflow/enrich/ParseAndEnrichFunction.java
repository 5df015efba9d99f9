package io.logflow.enrich;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.RecordsToEvents;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.util.Collector;

import java.util.List;

/**
 * The job's one step between its sources and the template step, keyed by routing key: the raw records of a key are
 * joined, parsed and counted ({@link RecordsToEvents}) and each event is enriched at once ({@link EnrichingFunction}).
 * Parse failures leave on {@link Outputs#FAILURES} with the enrichment's, upload progress on {@link Outputs#UPLOADS}.
 */
public class ParseAndEnrichFunction extends EnrichingFunction<List<RawLog>> implements CheckpointedFunction {
    private static final long serialVersionUID = 1L;

    private final RecordsToEvents records;
    private transient EnrichedOutput output;

    public ParseAndEnrichFunction(RecordsToEvents records, int bufferMaxEvents, long bufferTimeoutMillis,
            int failureMaxRawBytes) {
        super(bufferMaxEvents, bufferTimeoutMillis, failureMaxRawBytes);
        this.records = records;
    }

    @Override
    public void open(Configuration parameters) throws Exception {
        super.open(parameters);
        records.open(getRuntimeContext());
        output = new EnrichedOutput();
    }

    @Override
    public void processElement(List<RawLog> batch, ReadOnlyContext ctx, Collector<LogEvent> out) throws Exception {
        records.process(batch, ctx.timerService(), output.to(scope(ctx), ctx, out));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<LogEvent> out) throws Exception {
        records.onTimer(timestamp, ctx.timerService(), output.to(scope(ctx), ctx, out));
        super.onTimer(timestamp, ctx, out);
    }

    @Override
    ValueStateDescriptor<?> stateToFinishAtEndOfRecords() {
        return RecordsToEvents.JOIN_TIMER;
    }

    @Override
    void finishAtEndOfRecords(Scope scope, Collector<LogEvent> out) throws Exception {
        records.flushJoinsAtEndOfInput(output.to(scope, null, out));
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) throws Exception {
        records.snapshotState();
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        records.initializeState(context);
    }

    /** Parsed events go straight into the enrichment; one instance, pointed at each call's scope. */
    private final class EnrichedOutput implements RecordsToEvents.Output {
        private Scope scope;
        private ReadOnlyContext ctx;
        private Collector<LogEvent> out;

        EnrichedOutput to(Scope scope, ReadOnlyContext ctx, Collector<LogEvent> out) {
            this.scope = scope;
            this.ctx = ctx;
            this.out = out;
            return this;
        }

        @Override
        public void event(LogEvent event) throws Exception {
            enrich(event, scope, out);
        }

        @Override
        public void failure(Failure failure) {
            scope.sides.failures.accept(failure);
        }

        @Override
        public void upload(UploadStatus status) {
            ctx.output(Outputs.UPLOADS, status); // only a marker reports one, and markers come through processElement
        }
    }
}
