package io.logflow.sink.elasticsearch;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.pipeline.TemplateReport;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.streaming.api.datastream.DataStream;

/**
 * Another {@link LogSinks} (Postgres) plus Elasticsearch for the events: the events go to both, and the documents
 * Elasticsearch rejects go to the other sinks' {@link #rejections}. The workspace registrations keep each
 * workspace's filtered alias; the writers of the events delete indices past their retention.
 */
public final class ElasticsearchLogSinks implements LogSinks {
    private final LogSinks delegate;
    private final ElasticsearchConfig config;
    private final int failureMaxRawBytes;

    public ElasticsearchLogSinks(
            LogSinks delegate, ElasticsearchConfig config, int failureMaxRawBytes) {
        this.delegate = delegate;
        this.config = config;
        this.failureMaxRawBytes = failureMaxRawBytes;
    }

    @Override
    public void events(DataStream<LogEvent> events) {
        delegate.events(events);
        events.sinkTo(ElasticsearchSinks.logEvents(config, delegate.rejections(), failureMaxRawBytes))
                .uid(ElasticsearchSinks.UID)
                .name(ElasticsearchSinks.NAME);
    }

    @Override
    public void failures(DataStream<Failure> failures) {
        delegate.failures(failures);
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
        registrations.sinkTo(new WorkspaceIndicesSink(config))
                .setParallelism(1)
                .uid(WorkspaceIndicesSink.UID)
                .name(WorkspaceIndicesSink.NAME);
    }

    @Override
    public String metricsTableOptions(String table) {
        return delegate.metricsTableOptions(table);
    }

    @Override
    public RejectedDocuments rejections() {
        return delegate.rejections();
    }
}
