package io.logflow.sink.elasticsearch;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.ThreadSafeSimpleCounter;

import java.io.IOException;

/**
 * The Elasticsearch sink with an {@code esRejected} counter in its writer's metrics: documents Elasticsearch refused
 * for their own sake, recorded as {@code es_rejected} failures (the alert rules watch it). The connector gives its bulk
 * processor factory no metric group; it calls the factory while it builds the writer, on this thread, so the counter
 * is handed over for that call ({@link #WRITER_COUNTER}, read by {@link RejectionAwareBulkProcessorFactory}).
 */
final class RejectionCountingSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;
    static final String METRIC = "esRejected";
    /** Set only while the delegate builds its writer. */
    static final ThreadLocal<Counter> WRITER_COUNTER = new ThreadLocal<>();

    private final Sink<T> delegate;

    RejectionCountingSink(Sink<T> delegate) {
        this.delegate = delegate;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        WRITER_COUNTER.set(context.metricGroup().counter(METRIC, new ThreadSafeSimpleCounter()));
        try {
            return delegate.createWriter(context);
        } finally {
            WRITER_COUNTER.remove();
        }
    }

    /** Flink 1.20 still declares the old context; the connector implements it. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        WRITER_COUNTER.set(context.metricGroup().counter(METRIC, new ThreadSafeSimpleCounter()));
        try {
            return delegate.createWriter(context);
        } finally {
            WRITER_COUNTER.remove();
        }
    }
}
