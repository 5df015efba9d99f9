package io.logflow.sink.postgres;

import io.logflow.model.LogEvent;
import io.logflow.pipeline.RejectedDocuments;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.metrics.SimpleCounter;

import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * The event sink's real writer driven by hand, without a cluster: rows go in through {@code write}, out at
 * {@code flush}, as in a task (the flush-interval timer never fires; the tests flush themselves).
 */
final class WriterDriver implements AutoCloseable {
    final SimpleCounter written = new SimpleCounter();
    final SimpleCounter rejected = new SimpleCounter();
    final StagedCopyWriter<LogEvent> writer;

    WriterDriver(PostgresConfig db) {
        this(db, true, null);
    }

    WriterDriver(PostgresConfig db, boolean failuresToTable, RejectedDocuments elsewhere) {
        writer = new StagedCopyWriter<>(db, PostgresSinks.LOG_EVENTS, new PostgresSinks.EventRow(),
                new StagedCopySink.Rejections<>(new PostgresSinks.StoreRejected(8192), failuresToTable, elsewhere),
                new ManualTime(), written, rejected);
    }

    /** Writes every event and flushes, as a task does before a checkpoint barrier. */
    WriterDriver writeAll(List<LogEvent> events) throws Exception {
        for (LogEvent e : events) {
            writer.write(e, null);
        }
        writer.flush(false);
        return this;
    }

    @Override
    public void close() {
        writer.close();
    }

    /** The wall clock, and timers that never fire. */
    static final class ManualTime implements ProcessingTimeService {
        @Override
        public long getCurrentProcessingTime() {
            return System.currentTimeMillis();
        }

        @Override
        public ScheduledFuture<?> registerTimer(long timestamp, ProcessingTimeCallback target) {
            return null;
        }
    }
}
