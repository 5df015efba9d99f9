package io.logflow.sink.elasticsearch;

import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;

/**
 * One index request per event: {@code _id} is the event id, so a replay overwrites the same document instead of
 * adding one. Installs the index template when the writer opens.
 */
final class LogEventEmitter implements ElasticsearchEmitter<LogEvent> {
    private static final long serialVersionUID = 1L;

    private final ElasticsearchConfig config;

    LogEventEmitter(ElasticsearchConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        IndexTemplate.install(config);
    }

    @Override
    public void emit(LogEvent event, SinkWriter.Context context, RequestIndexer indexer) {
        indexer.add(request(config.indexNames, event));
    }

    static IndexRequest request(IndexNames names, LogEvent event) {
        String id = event.eventId != null
                ? event.eventId
                : EventIds.of("es", event.sourceRef, Long.toString(event.timestamp), event.message);
        return new IndexRequest(names.index(event.workspaceId, event.timestamp))
                .id(id)
                .source(EventDocuments.toJson(event), XContentType.JSON);
    }
}
