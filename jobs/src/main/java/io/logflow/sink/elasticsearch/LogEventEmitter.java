package io.logflow.sink.elasticsearch;

import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import io.logflow.model.Storable;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;

/**
 * One index request per event: {@code _id} is the event id, so a replay overwrites the same document instead of
 * adding one. An id Elasticsearch cannot take as it is (missing, empty, over 512 bytes of UTF-8, or not storable
 * text) is replaced by a hash of it, which is just as deterministic. Installs the index template when the writer
 * opens.
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
        indexer.add(request(config, event));
    }

    /** Elasticsearch refuses a whole bulk (client-side validation) if one {@code _id} is longer than this. */
    static final int MAX_ID_BYTES = 512;

    /**
     * The request of an event: into its workspace's dedicated index or the shared one of its time. In a shared index
     * the document is routed by workspace, so that one workspace's documents sit in one shard and its alias searches
     * that shard only. The index and the routing are functions of the event alone, so a replay lands on the same
     * document.
     */
    static IndexRequest request(ElasticsearchConfig config, LogEvent event) {
        IndexNames names = config.indexNamesOf(event.workspaceId);
        IndexRequest request = new IndexRequest(names.index(event.workspaceId, event.timestamp))
                .id(documentId(event))
                .source(EventDocuments.toJson(event), XContentType.JSON);
        if (names.shared() && event.workspaceId != null && !event.workspaceId.isBlank()) {
            request.routing(IndexNames.sanitise(event.workspaceId));
        }
        return request;
    }

    /** The {@code _id} of an event's document: its event id when Elasticsearch can take it, else a hash. */
    static String documentId(LogEvent event) {
        String id = event.eventId;
        if (id == null || id.isEmpty()) {
            return EventIds.of("es", event.sourceRef, Long.toString(event.timestamp), event.message);
        }
        // at most 3 UTF-8 bytes per UTF-16 unit: only long ids need counting
        if (!Storable.isStorable(id) || (id.length() * 3 > MAX_ID_BYTES && Storable.utf8Length(id) > MAX_ID_BYTES)) {
            return EventIds.of("es-id", id);
        }
        return id;
    }

}
