package io.logflow.enrich;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.pipeline.Outputs;
import io.logflow.pipeline.RecordsToEvents;
import io.logflow.pipeline.RoutingKey;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.workspace.WorkspaceRegistrations;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.List;

/**
 * Adds workspace enrichment to a topology: records (or a replay's events) keyed by routing key, registrations broadcast
 * to every subtask.
 *
 * <pre>
 *   Enrichment.Result enriched = Enrichment.parseAndEnrich(env, byRoutingKey, parse, workspaces, failureMaxRawBytes);
 *       // uids workspace-registrations, enrich
 *   sinks.workspaces(enriched.registrations, enriched.validations); // uids postgres-workspaces, postgres-validations
 * </pre>
 */
public final class Enrichment {
    public static final String UID = "enrich";
    /** The operator's name: the job's one step between its sources and the template step. */
    public static final String NAME = "Join, parse and enrich";

    private Enrichment() {}

    /** The enriched events and the two side outputs. */
    public static final class Result {
        /** Events with their {@code workspaceId}; validation lines are not among them. */
        public final SingleOutputStreamOperator<LogEvent> events;
        /** Validation lines for the workspace that owns their routing key. */
        public final DataStream<WorkspaceValidation> validations;
        /** {@code unknown_workspace} and {@code validation_mismatch} failures (stage ENRICH), and parse failures. */
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
     * As the job wires it: the registrations source (Kafka or file), and raw records keyed by routing key joined, parsed
     * and enriched in one operator. The caller stores {@link Result#events}, unions {@link Result#failures} (parse and
     * enrichment failures) into the failure sink, takes upload progress from the events' {@code Outputs.UPLOADS}, and
     * hands {@link Result#registrations} and {@link Result#validations} to the workspaces sink.
     */
    public static Result parseAndEnrich(StreamExecutionEnvironment env, KeyedStream<List<RawLog>, String> records,
            RecordsToEvents parse, WorkspaceConfig config, int failureMaxRawBytes) {
        DataStream<WorkspaceChange> registrations = WorkspaceRegistrations.stream(env, config);
        ParseAndEnrichFunction function = new ParseAndEnrichFunction(
                parse, config.bufferMaxEvents, config.bufferTimeout.toMillis(), failureMaxRawBytes);
        SingleOutputStreamOperator<LogEvent> enriched = records
                .connect(registrations.broadcast())
                .transform(NAME, TypeInformation.of(LogEvent.class), new EnrichOperator<>(function))
                .uid(UID)
                .name(NAME);
        return new Result(enriched, registrations);
    }

    /** Parsed events (a replay's), with the registrations source: keyed by routing key and enriched. */
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
                .transform("Enrich with workspaces", TypeInformation.of(LogEvent.class), new EnrichOperator<>(function))
                .uid(UID)
                .name("Enrich with workspaces");
        return new Result(enriched, registrations);
    }
}
