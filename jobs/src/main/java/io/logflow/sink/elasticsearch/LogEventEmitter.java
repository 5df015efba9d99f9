package io.logflow.sink.elasticsearch;

import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import io.logflow.model.Storable;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.connector.elasticsearch.sink.ElasticsearchEmitter;
import org.apache.flink.connector.elasticsearch.sink.RequestIndexer;
import org.elasticsearch.action.index.IndexRequest;
import org.elasticsearch.common.xcontent.XContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One index request per event: {@code _id} is the event id, so a replay overwrites the same document instead of
 * adding one. An id Elasticsearch cannot take as it is (missing, empty, over 512 bytes of UTF-8, or not storable
 * text) is replaced by a hash of it, which is just as deterministic. Installs the index template when the writer
 * opens, and deletes the indices past their retention then and every hour (each writer: a second delete of the same
 * index is a no-op).
 */
final class LogEventEmitter implements ElasticsearchEmitter<LogEvent> {
    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(LogEventEmitter.class);
    /** How often a writer deletes the indices past their retention (and once when it opens). */
    static final long SWEEP_EVERY_MILLIS = 3_600_000;

    private final ElasticsearchConfig config;
    private transient long nextSweep;

    LogEventEmitter(ElasticsearchConfig config) {
        this.config = config;
    }

    @Override
    public void open() throws Exception {
        IndexTemplate.install(config);
        sweep();
    }

    @Override
    public void emit(LogEvent event, SinkWriter.Context context, RequestIndexer indexer) {
        if (System.currentTimeMillis() >= nextSweep) {
            sweep();
        }
        indexer.add(request(config, event));
    }

    /**
     * Deletes the indices past their retention. A failure (say, a user without the right to delete indices) is
     * logged and tried again at the next sweep: retention must not stop the events.
     */
    private void sweep() {
        long now = System.currentTimeMillis();
        nextSweep = now + SWEEP_EVERY_MILLIS;
        try (WorkspaceIndices indices = new WorkspaceIndices(config)) {
            indices.deleteExpired(now);
        } catch (Exception e) {
            LOG.warn("Could not delete the Elasticsearch indices past their retention; trying again in an hour", e);
        }
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
