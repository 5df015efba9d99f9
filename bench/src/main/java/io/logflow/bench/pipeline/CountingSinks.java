package io.logflow.bench.pipeline;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.pipeline.TemplateReport;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;

/** The job's sinks replaced by a counter of events; failures and upload progress are discarded. */
public final class CountingSinks implements LogSinks {
    @Override
    public void events(DataStream<LogEvent> events) {
        events.sinkTo(new Tally.CountingSink<>()).uid("bench-count-events").name("Count events");
    }

    @Override
    public void failures(DataStream<Failure> failures) {
        failures.sinkTo(new DiscardingSink<>()).uid("bench-discard-failures").name("Discard failures");
    }

    @Override
    public void uploads(DataStream<UploadStatus> uploads) {
        uploads.sinkTo(new DiscardingSink<>()).uid("bench-discard-uploads").name("Discard upload progress");
    }

    @Override
    public void templates(DataStream<TemplateReport> reports) {
        reports.sinkTo(new DiscardingSink<>()).uid("bench-discard-templates").name("Discard template reports");
    }

    @Override
    public void workspaces(DataStream<WorkspaceChange> registrations, DataStream<WorkspaceValidation> validations) {
        registrations.sinkTo(new DiscardingSink<>()).uid("bench-discard-registrations").name("Discard registrations");
        validations.sinkTo(new DiscardingSink<>()).uid("bench-discard-validations").name("Discard validations");
    }

    /** The benchmark turns the metrics off; were they on, their rows would be discarded. */
    @Override
    public String metricsTableOptions(String table) {
        return "'connector' = 'blackhole'";
    }

    @Override
    public RejectedDocuments rejections() {
        return RejectedDocuments.NONE;
    }
}
