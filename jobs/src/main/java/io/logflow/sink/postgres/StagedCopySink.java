package io.logflow.sink.postgres;

import io.logflow.model.Failure;
import io.logflow.pipeline.RejectedDocuments;
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
 * never covers a row that is not committed. A batch that fails for a transient reason (connection, serialization,
 * resources, operator intervention) is retried {@code postgres.max-retries} times on a new connection, then the job
 * fails over and replays.
 *
 * <p>A batch the table rejects for a row's sake (a data error: SQLSTATE class 22 or 23, or 54 such as an index row
 * too large) is split in halves through the staging path until the rows at fault are found; the others are written,
 * and each rejected row becomes a {@code SINK}/{@value #STORE_REJECTED} failure (see {@link Rejections}). One row can
 * never stop the sink, and with it every tenant's events.
 */
public final class StagedCopySink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    /** Appends one input as one row of {@link Target#columns}, in that order. */
    @FunctionalInterface
    public interface RowEncoder<T> extends Serializable {
        void encode(T value, CopyText row);

        /**
         * The row's key as text, {id, partition key}, when a replay may give this value another partition key (a
         * time taken from the clock), so that the unique key cannot see the stored row; else null. Such a row copied
         * straight in is deleted again before the commit if another partition holds its id ({@link
         * Target#removeMoved}); through the staging table it is not inserted then.
         */
        default String[] movableKey(T value) {
            return null;
        }
    }

    static final String STORE_REJECTED = "store_rejected";

    /**
     * The failure of a row the table rejected: {@code row} is its COPY text (without the newline), {@code detail}
     * names the table, SQLSTATE and the server's message, already bounded and storable.
     */
    @FunctionalInterface
    public interface RejectedRow<T> extends Serializable {
        Failure failure(T value, String row, String detail, long time);
    }

    /**
     * Where rejected rows go: into {@code ingest_failures} in the same transaction as the batch's good rows (unless
     * {@code dlq.postgres.enabled=false}), and after that commit to {@code elsewhere} (the Kafka dead-letter topic),
     * if set. Both are idempotent by failure id, so a replay of the batch adds nothing.
     */
    public static final class Rejections<T> implements Serializable {
        private static final long serialVersionUID = 1L;
        final RejectedRow<T> failure;
        final boolean intoFailureTable;
        final RejectedDocuments elsewhere;

        public Rejections(RejectedRow<T> failure, boolean intoFailureTable, RejectedDocuments elsewhere) {
            if (!intoFailureTable && elsewhere == null) {
                throw new IllegalArgumentException("rejected rows need the failure table or another target");
            }
            this.failure = failure;
            this.intoFailureTable = intoFailureTable;
            this.elsewhere = elsewhere;
        }
    }

    /**
     * The table written, its columns in row order, and the unique key that makes a row idempotent. On a partitioned
     * table the key holds the partition key too, so it is unique per partition only; {@code idColumn} (may be null)
     * is the identity alone and {@code movedRow} a condition on a staged row {@code s} that is true for a row whose
     * partition key may differ on a replay (see {@link RowEncoder#movableKey}): such a row is kept only if no
     * partition holds its id.
     */
    public static final class Target implements Serializable {
        private static final long serialVersionUID = 1L;
        final String table;
        final List<String> columns;
        final String conflictKey;
        final String idColumn;
        final String movedRow;

        public Target(String table, List<String> columns, String conflictKey) {
            this(table, columns, conflictKey, null, null);
        }

        public Target(String table, List<String> columns, String conflictKey, String idColumn, String movedRow) {
            if ((idColumn == null) != (movedRow == null)) {
                throw new IllegalArgumentException("idColumn and movedRow go together");
            }
            this.table = table;
            this.columns = List.copyOf(columns);
            this.conflictKey = conflictKey;
            this.idColumn = idColumn;
            this.movedRow = movedRow;
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

        /** Empties the staging table within a transaction (between the parts of a split batch). */
        String truncateStaging() {
            return "TRUNCATE " + stagingTable();
        }

        /**
         * Deletes rows of this transaction's straight COPY (keys given as two text arrays: ids, partition keys) whose
         * id another partition holds: they are replays of a row whose partition key moved. For a key of a uuid id and a
         * timestamptz partition key, as log_events has. Null without {@code idColumn}.
         */
        String removeMoved() {
            if (idColumn == null) {
                return null;
            }
            String[] key = conflictKey.split(",\\s*");
            return "DELETE FROM " + table + " n USING unnest(CAST(? AS text[]), CAST(? AS text[])) AS b(id, k)"
                    + " WHERE n." + key[0] + " = CAST(b.id AS uuid) AND n." + key[1] + " = CAST(b.k AS timestamptz)"
                    + " AND EXISTS (SELECT 1 FROM " + table + " o WHERE o." + idColumn + " = n." + idColumn
                    + " AND o." + key[1] + " <> n." + key[1] + ")";
        }

        String insert() {
            String cols = String.join(", ", columns);
            String where = idColumn == null ? "" : " WHERE NOT (" + movedRow + ") OR NOT EXISTS (SELECT 1 FROM "
                    + table + " t WHERE t." + idColumn + " = s." + idColumn + ")";
            return "INSERT INTO " + table + " (" + cols + ") SELECT " + cols + " FROM " + stagingTable() + " s"
                    + where + " ON CONFLICT (" + conflictKey + ") DO NOTHING";
        }
    }

    private final PostgresConfig config;
    private final Target target;
    private final RowEncoder<T> encoder;
    private final Rejections<T> rejections;
    private final Partitions.Maintenance maintenance;

    public StagedCopySink(PostgresConfig config, Target target, RowEncoder<T> encoder, Rejections<T> rejections) {
        this(config, target, encoder, rejections, null);
    }

    /**
     * With {@code maintenance} (may be null), the first subtask runs it when it starts and every
     * {@link Partitions.Maintenance#INTERVAL} (see {@link StagedCopyWriter}).
     */
    public StagedCopySink(PostgresConfig config, Target target, RowEncoder<T> encoder, Rejections<T> rejections,
            Partitions.Maintenance maintenance) {
        this.config = config;
        this.target = target;
        this.encoder = encoder;
        this.rejections = rejections;
        this.maintenance = maintenance;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        StagedCopyWriter<T> writer = new StagedCopyWriter<>(config, target, encoder, rejections,
                context.getProcessingTimeService(), context.metricGroup().getNumRecordsSendCounter(),
                context.metricGroup().counter("storeRejected"));
        if (maintenance != null && context.getTaskInfo().getIndexOfThisSubtask() == 0) {
            writer.maintain(maintenance, context.metricGroup().counter("partitionsCreated"),
                    context.metricGroup().counter("partitionsDropped"));
        }
        return writer;
    }

    /** Flink 1.20 still declares the old context; both carry what the writer needs. */
    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(Sink.InitContext context) throws IOException {
        StagedCopyWriter<T> writer = new StagedCopyWriter<>(config, target, encoder, rejections,
                context.getProcessingTimeService(), context.metricGroup().getNumRecordsSendCounter(),
                context.metricGroup().counter("storeRejected"));
        if (maintenance != null && context.getSubtaskId() == 0) {
            writer.maintain(maintenance, context.metricGroup().counter("partitionsCreated"),
                    context.metricGroup().counter("partitionsDropped"));
        }
        return writer;
    }
}
