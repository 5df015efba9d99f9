package io.logflow.sink.postgres;

import io.logflow.config.JobConfig.PostgresConfig;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;

/**
 * An idempotent Postgres sink at {@code COPY} speed. Each batch is first copied straight into the target table in one
 * transaction; keys are deterministic, so that succeeds unless the batch repeats a stored row (a replay after a
 * failover or from a savepoint) or holds one twice. Then the COPY fails as a whole on the unique key and is rolled back,
 * and the batch is copied into a temporary staging table and moved into the target with one
 * {@code INSERT ... SELECT ... ON CONFLICT (key) DO NOTHING} in the same transaction, which skips the rows already
 * there, as the per-row {@code INSERT} did. Either way the rows travel in PostgreSQL's bulk format instead of as bound
 * statements, and the common case does the server's work once (the staging path writes every row twice).
 *
 * <p>At-least-once: a batch is written when it reaches {@code postgres.batch-size} rows, when its first row has
 * waited {@code postgres.flush-interval}, before every checkpoint barrier and at the end of input, so a checkpoint
 * never covers a row that is not committed. A failed batch is retried {@code postgres.max-retries} times on a new
 * connection, then the job fails over and replays.
 */
public final class StagedCopySink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Appends one input as one row of {@link Target#columns}, in that order. */
    @FunctionalInterface
    public interface RowEncoder<T> extends Serializable {
        void encode(T value, CopyText row);
    }

    /** The table written, its columns in row order, and the unique column that makes a row idempotent. */
    public static final class Target implements Serializable {
        private static final long serialVersionUID = 1L;
        final String table;
        final List<String> columns;
        final String conflictKey;

        public Target(String table, List<String> columns, String conflictKey) {
            this.table = table;
            this.columns = List.copyOf(columns);
            this.conflictKey = conflictKey;
        }

        String stagingTable() {
            return table + "_staging";
        }

        /** Session-local and unlogged; emptied at each commit, so a failed batch leaves nothing behind. */
        String createStaging() {
            return "CREATE TEMPORARY TABLE IF NOT EXISTS " + stagingTable() + " (LIKE " + table
                    + " INCLUDING DEFAULTS) ON COMMIT DELETE ROWS";
        }

        String directCopy() {
            return "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN";
        }

        String copy() {
            return "COPY " + stagingTable() + " (" + String.join(", ", columns) + ") FROM STDIN";
        }

        String insert() {
            String cols = String.join(", ", columns);
            return "INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM " + stagingTable()
                    + " ON CONFLICT (" + conflictKey + ") DO NOTHING";
        }
    }

    private final PostgresConfig config;
    private final Target target;
    private final RowEncoder<T> encoder;

    public StagedCopySink(PostgresConfig config, Target target, RowEncoder<T> encoder) {
        this.config = config;
        this.target = target;
        this.encoder = encoder;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return new StagedCopyWriter<>(config, target, encoder, context.getProcessingTimeService(),
                context.metricGroup().getNumRecordsSendCounter());
    }

    /** Flink 1.20 still declares the old context; both carry what the writer needs. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        return new StagedCopyWriter<>(config, target, encoder, context.getProcessingTimeService(),
                context.metricGroup().getNumRecordsSendCounter());
    }
}
