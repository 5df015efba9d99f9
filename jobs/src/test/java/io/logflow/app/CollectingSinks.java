package io.logflow.app;

import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.pipeline.TemplateReport;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Every output of the job collected in memory, for a topology test that runs {@link LogflowJob} on a MiniCluster in
 * this JVM with no store at all. The metrics tables are Flink's {@code blackhole} connector: their SQL runs, their
 * rows go nowhere.
 */
final class CollectingSinks implements LogSinks {
    private static final Map<String, Queue<Object>> COLLECTED = new ConcurrentHashMap<>();

    private final String run;

    CollectingSinks(String run) {
        this.run = run;
    }

    @Override
    public void events(DataStream<LogEvent> events) {
        events.sinkTo(new QueueSink<>(key("events"))).uid("test-events").name("Collect events");
    }

    @Override
    public void failures(DataStream<Failure> failures) {
        failures.sinkTo(new QueueSink<>(key("failures"))).uid("test-failures").name("Collect failures");
    }

    @Override
    public void uploads(DataStream<UploadStatus> uploads) {
        uploads.sinkTo(new QueueSink<>(key("uploads"))).uid("test-uploads").name("Collect upload progress");
    }

    @Override
    public void templates(DataStream<TemplateReport> reports) {
        reports.sinkTo(new QueueSink<>(key("templates"))).uid("test-templates").name("Collect template reports");
    }

    @Override
    public void workspaces(DataStream<WorkspaceChange> registrations, DataStream<WorkspaceValidation> validations) {
        registrations.sinkTo(new QueueSink<>(key("registrations"))).uid("test-registrations")
                .name("Collect registrations");
        validations.sinkTo(new QueueSink<>(key("validations"))).uid("test-validations").name("Collect validations");
    }

    @Override
    public String metricsTableOptions(String table) {
        return "'connector' = 'blackhole'";
    }

    List<LogEvent> events() {
        return collected("events");
    }

    List<Failure> failures() {
        return collected("failures");
    }

    List<UploadStatus> uploads() {
        return collected("uploads");
    }

    List<TemplateReport> templates() {
        return collected("templates");
    }

    List<WorkspaceChange> registrations() {
        return collected("registrations");
    }

    List<WorkspaceValidation> validations() {
        return collected("validations");
    }

    @SuppressWarnings("unchecked")
    private <T> List<T> collected(String output) {
        return new ArrayList<>((Queue<T>) (Queue<?>) COLLECTED.getOrDefault(key(output), new ConcurrentLinkedQueue<>()));
    }

    private String key(String output) {
        return run + "/" + output;
    }

    /** Adds every element to the queue named {@code key}; the job runs in this JVM, so the test reads it there. */
    private static final class QueueSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final String key;

        QueueSink(String key) {
            this.key = key;
        }

        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<T> createWriter(Sink.InitContext context) {
            Queue<Object> queue = COLLECTED.computeIfAbsent(key, k -> new ConcurrentLinkedQueue<>());
            return new SinkWriter<>() {
                @Override
                public void write(T element, Context context) {
                    queue.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }

    /** Rejections join the failures, as they do in the dead-letter stores. */
    @Override
    public RejectedDocuments rejections() {
        String failures = key("failures");
        return rejected -> COLLECTED.computeIfAbsent(failures, k -> new ConcurrentLinkedQueue<>()).addAll(rejected);
    }
}
