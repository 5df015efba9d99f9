package io.logflow.sink.elasticsearch;

import io.logflow.model.LogEvent;
import io.logflow.pipeline.RejectedDocuments;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

import java.io.IOException;

/**
 * The Elasticsearch sink of log events, with an {@code esRejected} counter in each writer's metrics: the documents
 * Elasticsearch refused for their own sake and that were stored as {@code es_rejected} failures (the alert rules watch
 * it). The connector gives its bulk processor factory no metric group, so each writer gets a connector sink of its
 * own, built here around rejections that also count into that writer's counter: nothing is shared between writers
 * or held in a static. The connector's sink keeps no writer state, so this changes nothing in savepoints.
 */
final class LogEventsSink implements Sink<LogEvent> {
    private static final long serialVersionUID = 1L;
    static final String REJECTED_METRIC = "esRejected";

    private final ElasticsearchConfig config;
    private final RejectedDocuments rejected;
    private final int failureMaxRawBytes;

    LogEventsSink(ElasticsearchConfig config, RejectedDocuments rejected, int failureMaxRawBytes) {
        this.config = config;
        this.rejected = rejected;
        this.failureMaxRawBytes = failureMaxRawBytes;
        // built once here so that a connector this sink cannot patch fails the job's build, not its tasks
        ElasticsearchSinks.connector(config, rejected, failureMaxRawBytes);
    }

    /** Flink 1.20 still declares the old context as the one to implement; the new one is handed down to it. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<LogEvent> createWriter(Sink.InitContext context) throws IOException {
        Counter counter = context.metricGroup().counter(REJECTED_METRIC, new ThreadSafeSimpleCounter());
        return ElasticsearchSinks.connector(config, counting(rejected, counter), failureMaxRawBytes)
                .createWriter(context);
    }

    /** Records into {@code target}, then counts what was recorded (a failed recording fails the bulk uncounted). */
    static RejectedDocuments counting(RejectedDocuments target, Counter counter) {
        return failures -> {
            target.record(failures);
            counter.inc(failures.size());
        };
    }
}
