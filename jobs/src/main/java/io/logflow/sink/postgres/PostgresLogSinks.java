package io.logflow.sink.postgres;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.FailureOptions;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.pipeline.TemplateReport;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Events into {@code log_events}, failures into {@code ingest_failures}, upload progress into {@code uploads}. */
public class PostgresLogSinks implements LogSinks {
    private final PostgresConfig config;
    private final boolean failuresToo;
    private final RejectedDocuments rejectedElsewhere;
    private final int maxRawBytes;

    public PostgresLogSinks(PostgresConfig config) {
        this(config, true, null, FailureOptions.MAX_RAW_BYTES.defaultValue());
    }

    /**
     * With {@code failuresToo} false, failures go only to the other dead-letter outputs (the Kafka topic). Events
     * {@code log_events} rejects become {@code store_rejected} failures, which go where the other failures go: to
     * {@code ingest_failures} with {@code failuresToo}, and to {@code rejectedElsewhere} (the topic) when not null.
     */
    public PostgresLogSinks(PostgresConfig config, boolean failuresToo, RejectedDocuments rejectedElsewhere,
            int maxRawBytes) {
        this.config = config;
        this.failuresToo = failuresToo;
        this.rejectedElsewhere = rejectedElsewhere;
        this.maxRawBytes = maxRawBytes;
    }

    @Override
    public void events(DataStream<LogEvent> events) {
        events.sinkTo(PostgresSinks.logEvents(config, maxRawBytes, failuresToo, rejectedElsewhere))
                .uid("postgres-log-events").name("Postgres log_events");
    }

    @Override
    public void failures(DataStream<Failure> failures) {
        if (!failuresToo) {
            return;
        }
        failures.sinkTo(PostgresSinks.failures(config)).uid("postgres-failures").name("Postgres ingest_failures");
    }

    @Override
    public void uploads(DataStream<UploadStatus> uploads) {
        uploads.sinkTo(PostgresSinks.uploads(config)).uid("postgres-uploads").name("Postgres uploads");
    }

    @Override
    public void templates(DataStream<TemplateReport> reports) {
        reports.sinkTo(PostgresSinks.templates(config)).uid("postgres-templates").name("Postgres log_templates");
    }

    /** The {@code workspaces} table (uids {@code postgres-workspaces}, {@code postgres-validations}). */
    @Override
    public void workspaces(DataStream<WorkspaceChange> registrations, DataStream<WorkspaceValidation> validations) {
        WorkspaceTable.write(registrations, validations, config);
    }

    @Override
    public String metricsTableOptions(String table) {
        return PostgresSinks.sqlTableOptions(config, table);
    }

    /** {@code ingest_failures}, unless failures go only to the Kafka topic. */
    @Override
    public RejectedDocuments rejections() {
        return failuresToo ? new PostgresRejectedDocuments(config) : RejectedDocuments.NONE;
    }
}
