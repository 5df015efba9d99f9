package io.logflow.sink.dlq;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.pipeline.TemplateReport;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.streaming.api.datastream.DataStream;

/** Another {@link LogSinks} plus the Kafka dead-letter topic for the failures: the failures go to both. */
public final class DlqLogSinks implements LogSinks {
    private final LogSinks delegate;
    private final DlqConfig config;

    public DlqLogSinks(LogSinks delegate, DlqConfig config) {
        this.delegate = delegate;
        this.config = config;
    }

    @Override
    public void events(DataStream<LogEvent> events) {
        delegate.events(events);
    }

    @Override
    public void failures(DataStream<Failure> failures) {
        delegate.failures(failures);
        failures.sinkTo(DlqSinks.failures(config)).uid(DlqSinks.UID).name(DlqSinks.NAME);
    }

    @Override
    public void uploads(DataStream<UploadStatus> uploads) {
        delegate.uploads(uploads);
    }

    @Override
    public void templates(DataStream<TemplateReport> reports) {
        delegate.templates(reports);
    }

    @Override
    public void workspaces(DataStream<WorkspaceChange> registrations, DataStream<WorkspaceValidation> validations) {
        delegate.workspaces(registrations, validations);
    }

    @Override
    public String metricsTableOptions(String table) {
        return delegate.metricsTableOptions(table);
    }

    /** The other sinks' dead-letter store, then the topic. */
    @Override
    public RejectedDocuments rejections() {
        return RejectedDocuments.all(delegate.rejections(), new KafkaRejectedDocuments(config));
    }
}
