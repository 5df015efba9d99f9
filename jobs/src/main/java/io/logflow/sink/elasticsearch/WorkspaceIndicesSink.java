package io.logflow.sink.elasticsearch;

import io.logflow.workspace.WorkspaceChange;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The workspace registrations into {@link WorkspaceIndices}: aliases applied in batches (a full batch, a second
 * after the first change of a batch, every checkpoint and the end of input). Runs with parallelism 1: one writer owns
 * the aliases component template.
 */
public final class WorkspaceIndicesSink implements Sink<WorkspaceChange> {
    private static final long serialVersionUID = 1L;

    public static final String UID = "elasticsearch-workspace-indices";
    public static final String NAME = "Elasticsearch workspace aliases";

    static final int MAX_BATCH = 1000;
    static final long MAX_WAIT_MILLIS = 1000;

    private final ElasticsearchConfig config;

    public WorkspaceIndicesSink(ElasticsearchConfig config) {
        this.config = config;
    }

    @Override
    public SinkWriter<WorkspaceChange> createWriter(WriterInitContext context) {
        return new Writer(config);
    }

    /** Flink 1.20 still declares the old context. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<WorkspaceChange> createWriter(Sink.InitContext context) {
        return new Writer(config);
    }

    static final class Writer implements SinkWriter<WorkspaceChange> {
        private final WorkspaceIndices indices;
        private final Map<String, WorkspaceChange> pending = new LinkedHashMap<>();
        private long firstPending;

        Writer(ElasticsearchConfig config) {
            this.indices = new WorkspaceIndices(config);
        }

        @Override
        public void write(WorkspaceChange change, Context context) throws IOException {
            if (change.id == null || !(change.isPut() || change.isDelete())) {
                return;
            }
            if (pending.isEmpty()) {
                firstPending = System.currentTimeMillis();
            }
            pending.remove(change.id); // keep the order of the last changes
            pending.put(change.id, change);
            if (pending.size() >= MAX_BATCH || System.currentTimeMillis() - firstPending >= MAX_WAIT_MILLIS) {
                applyPending();
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            applyPending();
        }

        private void applyPending() throws IOException {
            if (!pending.isEmpty()) {
                indices.apply(pending.values());
                pending.clear();
            }
        }

        @Override
        public void close() throws IOException {
            indices.close();
        }
    }
}
