package io.logflow.sink.elasticsearch;

import io.logflow.model.LogEvent;
import io.logflow.pipeline.RejectedDocuments;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.elasticsearch.sink.Elasticsearch7SinkBuilder;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchSink;
import org.apache.flink.connector.elasticsearch.sink.FlushBackoffType;

/**
 * The Elasticsearch 7 sink of log events (flink-connector-elasticsearch7): index requests with {@code _id} = event
 * id into {@code elasticsearch.index-pattern}, at-least-once (every checkpoint waits for all pending bulks), so with
 * the deterministic ids a replay overwrites and never duplicates. Rejected documents become failures (see
 * {@link RejectionAwareBulkProcessorFactory}) and are counted in each writer's {@code esRejected} metric (see
 * {@link LogEventsSink}).
 */
public final class ElasticsearchSinks {
    private ElasticsearchSinks() {}

    public static final String UID = "elasticsearch-log-events";
    public static final String NAME = "Elasticsearch log events";

    public static Sink<LogEvent> logEvents(
            ElasticsearchConfig config, RejectedDocuments rejected, int failureMaxRawBytes) {
        return new LogEventsSink(config, rejected, failureMaxRawBytes);
    }

    /** The connector's sink, its bulk calls rejection-aware; {@link LogEventsSink} builds one per writer. */
    static ElasticsearchSink<LogEvent> connector(
            ElasticsearchConfig config, RejectedDocuments rejected, int failureMaxRawBytes) {
        Elasticsearch7SinkBuilder<LogEvent> builder = new Elasticsearch7SinkBuilder<LogEvent>()
                .setHosts(config.httpHosts())
                .setEmitter(new LogEventEmitter(config))
                .setDeliveryGuarantee(DeliveryGuarantee.AT_LEAST_ONCE)
                // Recorded for the connector's toString; the installed factory reads the same values from config.
                .setBulkFlushMaxActions(config.bulkMaxActions)
                .setBulkFlushMaxSizeMb(config.bulkMaxSizeMb)
                .setBulkFlushInterval(config.bulkFlushInterval.toMillis())
                .setBulkFlushBackoffStrategy(FlushBackoffType.EXPONENTIAL, config.backoffMaxRetries,
                        config.backoffDelay.toMillis());
        if (config.username != null) {
            builder.setConnectionUsername(config.username).setConnectionPassword(config.password);
        }
        return RejectionAwareBulkProcessorFactory.install(builder.build(), config, rejected, failureMaxRawBytes);
    }
}
