package io.logflow.enrich;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.RoutingKey;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.workspace.WorkspaceRegistrations;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Adds workspace enrichment to a topology: events keyed by routing key, registrations broadcast to every subtask.
 *
 * <pre>
 *   DataStream&lt;WorkspaceChange&gt; registrations = WorkspaceRegistrations.stream(env, workspaces); // uid workspace-registrations
 *   Enrichment.Result enriched = Enrichment.apply(events, registrations, workspaces, failureMaxRawBytes); // uid enrich
 *   sinks.workspaces(registrations, enriched.validations); // uids postgres-workspaces, postgres-validations
 * </pre>
 */
public final class Enrichment {
    public static final String UID = "enrich";

    private Enrichment() {}

    /** The enriched events and the two side outputs. */
    public static final class Result {
        /** Events with their {@code workspaceId}; validation lines are not among them. */
        public final SingleOutputStreamOperator<LogEvent> events;
        /** Validation lines for the workspace that owns their routing key. */
        public final DataStream<WorkspaceValidation> validations;
        /** {@code unknown_workspace} and {@code validation_mismatch} failures (stage ENRICH). */
        public final DataStream<Failure> failures;
        /** The registrations the enrichment was given, for the workspaces table. */
        public final DataStream<WorkspaceChange> registrations;

        Result(SingleOutputStreamOperator<LogEvent> events, DataStream<WorkspaceChange> registrations) {
            this.events = events;
            this.registrations = registrations;
            this.validations = events.getSideOutput(EnrichFunction.VALIDATIONS);
            this.failures = events.getSideOutput(Outputs.FAILURES);
        }
    }

    /**
     * Everything at once, as the job wires it: the registrations source (Kafka or file) and the enrichment. The
     * caller stores {@link Result#events}, unions {@link Result#failures} into the failure sink, and hands
     * {@link Result#registrations} and {@link Result#validations} to the workspaces sink.
     */
    public static Result withRegistrations(StreamExecutionEnvironment env, DataStream<LogEvent> events,
            WorkspaceConfig config, int failureMaxRawBytes) {
        DataStream<WorkspaceChange> registrations = WorkspaceRegistrations.stream(env, config);
        return apply(events, registrations, config, failureMaxRawBytes);
    }

    public static Result apply(DataStream<LogEvent> events, DataStream<WorkspaceChange> registrations,
            WorkspaceConfig config, int failureMaxRawBytes) {
        EnrichFunction function = new EnrichFunction(
                config.bufferMaxEvents, config.bufferTimeout.toMillis(), failureMaxRawBytes);
        SingleOutputStreamOperator<LogEvent> enriched = events
                .keyBy(new RoutingKey())
                .connect(registrations.broadcast())
                .transform("Enrich with workspaces", TypeInformation.of(LogEvent.class), new EnrichOperator(function))
                .uid(UID)
                .name("Enrich with workspaces");
        return new Result(enriched, registrations);
    }
}
