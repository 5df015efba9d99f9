package io.logflow.sink.postgres;

import io.logflow.model.Failure;
import io.logflow.model.Storable;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.metrics.Counter;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The writer of {@link StagedCopySink}: buffers rows in COPY text format and writes a batch with COPY straight into
 * the table, or, when that meets a key already stored, as COPY into the session's staging table plus one
 * {@code INSERT ... SELECT ... ON CONFLICT DO NOTHING}, committed together. Every call (write, timer, flush) runs in
 * the task's mailbox thread, so the buffer needs no locking.
 *
 * <p>The straight COPY is streamed: it opens with a batch's first rows and gets every {@link #STREAM_CHUNK_CHARS} of
 * text as it is encoded, so the server inserts while the task makes the next rows, and a flush only ends the COPY and
 * commits. (Sent whole at the flush, the task waited for the server's work on every batch: 0.75x of one long COPY.)
 * The batch's text is kept until the commit: a failed stream is rolled back and the batch written again.
 *
 * <p>Beside the text the writer keeps each row's element and where its text ends (references and an int, no copy),
 * so that a batch failing with a data error ({@link #isDataError}) can be split: the halves go through the staging
 * path, each under a savepoint of one transaction, a failing half is rolled back to its savepoint and split again,
 * down to single rows, which become failures ({@link StagedCopySink.Rejections}). The good rows and the failure rows
 * commit together. Any other error is transient: the batch is retried, then the task fails.
 */
final class StagedCopyWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(StagedCopyWriter.class);
    private static final int BYTES_PER_ROW_GUESS = 400;
    private static final String UNIQUE_VIOLATION = "23505";
    static final int STREAM_CHUNK_CHARS = 64 * 1024;
    /** Characters of a rejected row's failure detail (table, SQLSTATE, the server's message). */
    static final int MAX_DETAIL = 2000;

    private final PostgresConfig config;
    private final StagedCopySink.Target target;
    private final StagedCopySink.RowEncoder<T> encoder;
    private final StagedCopySink.Rejections<T> rejections;
    private final ProcessingTimeService time;
    private final Counter rowsWritten;
    private final Counter storeRejected;
    private final CopyText rows;
    private final String directCopySql;
    private final String copySql;
    private final String insertSql;
    private final String truncateStagingSql;
    /** The batch's elements, row by row: what a rejected row's failure is made of. */
    private final List<T> elements = new ArrayList<>();
    /** Where each row's text in {@link #rows} ends (after its newline). */
    private int[] rowEnds;
    /** The batch's rejected rows: those that could not be encoded, then those the table rejected. */
    private List<Failure> rejected = new ArrayList<>();

    private int buffered;
    /** Bumped by every flush, so a timer set for an earlier batch does nothing. */
    private long batch;
    private boolean timerSet;
    private long batchStarted;
    private Connection connection;
    private CopyManager copyManager;
    /** The batch's straight COPY while it is being streamed, else null. */
    private CopyIn streaming;
    /** Characters of {@link #rows} already sent to {@link #streaming}. */
    private int streamed;
    /** The batch's stream failed: its flush writes it whole (and through staging if it met a stored key). */
    private SQLException streamError;
    /** Keys (id, partition key) of the batch's rows whose partition key may move on a replay; see removeMoved. */
    private final List<String> movedIds = new ArrayList<>();
    private final List<String> movedKeys = new ArrayList<>();
    private final String removeMovedSql;

    StagedCopyWriter(PostgresConfig config, StagedCopySink.Target target, StagedCopySink.RowEncoder<T> encoder,
            StagedCopySink.Rejections<T> rejections, ProcessingTimeService time, Counter rowsWritten,
            Counter storeRejected) {
        this.config = config;
        this.target = target;
        this.encoder = encoder;
        this.rejections = rejections;
        this.time = time;
        this.rowsWritten = rowsWritten;
        this.storeRejected = storeRejected;
        this.rows = new CopyText(Math.min(config.batchSize, 10_000) * BYTES_PER_ROW_GUESS);
        this.rowEnds = new int[Math.max(1, Math.min(config.batchSize, 10_000))];
        this.directCopySql = target.directCopy();
        this.copySql = target.copy();
        this.insertSql = target.insert();
        this.truncateStagingSql = target.truncateStaging();
        this.removeMovedSql = target.removeMoved();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        int start = rows.length();
        try {
            encoder.encode(element, rows);
        } catch (RuntimeException e) {
            rows.truncate(start);
            rejected.add(rejection(element, null, "cannot be encoded as a row: " + e));
            if (buffered == 0 && !timerSet) {
                batchStarted = time.getCurrentProcessingTime();
                scheduleFlush();
            }
            return;
        }
        rows.endRow();
        if (buffered == rowEnds.length) {
            rowEnds = Arrays.copyOf(rowEnds, buffered * 2);
        }
        rowEnds[buffered] = rows.length();
        elements.add(element);
        String[] moved = removeMovedSql == null ? null : encoder.movableKey(element);
        if (moved != null) {
            movedIds.add(moved[0]);
            movedKeys.add(moved[1]);
        }
        if (buffered++ == 0) {
            batchStarted = time.getCurrentProcessingTime();
        }
        if (buffered >= config.batchSize) {
            flushBatch();
            return;
        }
        if (rows.length() - streamed >= STREAM_CHUNK_CHARS) {
            stream();
        }
        if (!timerSet) {
            scheduleFlush();
        }
    }

    /** Sends the rows encoded since the last call into the batch's straight COPY, opening it first. */
    private void stream() {
        if (streamError != null) {
            return;
        }
        try {
            if (streaming == null) {
                connection();
                streaming = copyManager.copyIn(directCopySql);
            }
            byte[] chunk = rows.utf8From(streamed);
            streaming.writeToCopy(chunk, 0, chunk.length);
            streamed = rows.length();
        } catch (SQLException e) {
            streamError = e;
            abandonStream();
        } catch (RuntimeException e) {
            streamError = new SQLException(e);
            abandonStream();
        }
    }

    /** Ends the batch's stream and commits it; false when it failed (and was rolled back). */
    private boolean finishStream() {
        try {
            stream();
            if (streamError == null) {
                streaming.endCopy();
                streaming = null;
                removeMoved(connection);
                commit(connection, rejected);
                return true;
            }
        } catch (SQLException e) {
            streamError = e;
        } catch (RuntimeException e) {
            streamError = new SQLException(e);
        }
        abandonStream();
        return false;
    }

    /** Cancels the stream's COPY and rolls back; a connection that cannot even do that is replaced. */
    private void abandonStream() {
        if (streaming != null && streaming.isActive()) {
            try {
                streaming.cancelCopy();
            } catch (SQLException e) {
                closeConnection();
            }
        }
        streaming = null;
        if (connection != null) {
            try {
                connection.rollback();
            } catch (SQLException e) {
                closeConnection();
            }
        }
    }

    /**
     * Runs the partitions' upkeep now and then every {@link Partitions.Maintenance#INTERVAL} in the mailbox thread. A
     * failed round is logged and tried again at the next: rows of a day without its partition wait in the default
     * partition meanwhile, and expired ones stay a little longer.
     */
    void maintain(Partitions.Maintenance maintenance, Counter created, Counter dropped) {
        try {
            Partitions.Round round = maintenance.run(java.time.Instant.ofEpochMilli(time.getCurrentProcessingTime()));
            created.inc(round.created);
            dropped.inc(round.dropped.size());
        } catch (RuntimeException e) {
            LOG.warn("Upkeep of the partitions of {} failed; trying again in {}", target.table,
                    Partitions.Maintenance.INTERVAL, e);
        }
        time.registerTimer(time.getCurrentProcessingTime() + Partitions.Maintenance.INTERVAL.toMillis(),
                t -> maintain(maintenance, created, dropped));
    }

    /** One timer at a time; if it fires for a batch already written, it re-arms for the batch buffered since. */
    private void scheduleFlush() {
        timerSet = true;
        long forBatch = batch;
        time.registerTimer(batchStarted + config.flushInterval.toMillis(), t -> {
            timerSet = false;
            if (forBatch == batch) {
                flushBatch();
            } else if (buffered > 0 || !rejected.isEmpty()) {
                scheduleFlush();
            }
        });
    }

    /** Before every checkpoint barrier and at the end of input: nothing stays buffered. */
    @Override
    public void flush(boolean endOfInput) throws IOException, InterruptedException {
        flushBatch();
    }

    private void flushBatch() throws IOException, InterruptedException {
        if (buffered == 0 && rejected.isEmpty()) {
            return;
        }
        boolean written = finishStream();
        boolean knownConflict = streamError != null && UNIQUE_VIOLATION.equals(streamError.getSQLState());
        boolean rowAtFault = !written && !knownConflict && isDataError(streamError);
        if (streamError != null && !knownConflict && !rowAtFault) {
            LOG.warn("Streaming {} rows to {} failed; writing them again", buffered, target.table, streamError);
        }
        byte[] data = written || rowAtFault ? null : rows.toString().getBytes(StandardCharsets.UTF_8);
        SQLException dataError = rowAtFault ? streamError : null;
        for (int attempt = 0; !written; ) {
            try {
                if (dataError != null) {
                    isolate(dataError);
                } else {
                    write(data, knownConflict);
                }
                written = true;
            } catch (SQLException e) {
                if (dataError == null && isDataError(e)) {
                    dataError = e; // the connection is fine (rolled back): find the rows at fault
                    continue;
                }
                closeConnection();
                if (attempt >= config.maxRetries) {
                    throw new IOException("writing " + buffered + " rows to " + target.table + " failed after "
                            + (attempt + 1) + " attempts", e);
                }
                LOG.warn("Writing {} rows to {} failed (attempt {} of {}); retrying", buffered, target.table,
                        attempt + 1, config.maxRetries + 1, e);
                Thread.sleep(1000L * (attempt + 1));
                attempt++;
            }
        }
        int rejectedRows = rejected.size();
        if (rejectedRows > 0) {
            recordElsewhere(rejected);
            storeRejected.inc(rejectedRows);
            LOG.warn("{} rejected {} rows of a batch of {}; they are '{}' failures, e.g. {}", target.table,
                    rejectedRows, buffered, StagedCopySink.STORE_REJECTED, rejected.get(0).detail);
            rejected = new ArrayList<>();
        }
        rowsWritten.inc(Math.max(0, buffered - rejectedRows));
        buffered = 0;
        elements.clear();
        batch++;
        streamed = 0;
        streamError = null;
        movedIds.clear();
        movedKeys.clear();
        rows.clear(Math.min(config.batchSize, 10_000) * BYTES_PER_ROW_GUESS);
    }

    /**
     * A data error: the server refused a value or a row (class 22, data exception; 23, integrity constraint
     * violation; 54, program limit exceeded, e.g. an index row too large), so splitting the batch finds the row.
     * Everything else (no SQLSTATE: an I/O error; 08 connection, 40001 serialization, 40P01 deadlock, 53 resources,
     * 57 operator intervention, 58 system error, and any other class) is not a row's fault: retried, then the task
     * fails and Flink's failover replays.
     */
    static boolean isDataError(SQLException e) {
        String state = e == null ? null : e.getSQLState();
        return state != null && state.length() == 5
                && (state.startsWith("22") || state.startsWith("23") || state.startsWith("54"));
    }

    /**
     * Writes the batch's good rows and its failure rows in one transaction: the rows are split in halves, each
     * written through the staging path under a savepoint; a half that fails with a data error is rolled back to its
     * savepoint and split again, down to the single rows at fault. {@code error} is the whole batch's. A transient
     * error on the way rolls everything back and is thrown, so the retry starts over.
     */
    private void isolate(SQLException error) throws SQLException {
        Connection c = connection();
        List<Failure> failures = new ArrayList<>(rejected); // rows that could not be encoded come first
        try {
            if (buffered == 1) {
                failures.add(rejection(0, error));
            } else if (buffered > 1) {
                int mid = buffered >>> 1;
                split(c, 0, mid, failures);
                split(c, mid, buffered, failures);
            }
            commit(c, failures);
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            throw e instanceof SQLException ? (SQLException) e : new SQLException(e);
        }
        rejected = failures;
    }

    private void split(Connection c, int from, int to, List<Failure> failures) throws SQLException {
        Savepoint savepoint = c.setSavepoint();
        try {
            copy(copySql, rows.utf8(from == 0 ? 0 : rowEnds[from - 1], rowEnds[to - 1]));
            try (Statement st = c.createStatement()) {
                st.executeUpdate(insertSql);
                st.executeUpdate(truncateStagingSql); // ON COMMIT DELETE ROWS empties it only at the commit
            }
            c.releaseSavepoint(savepoint);
            return;
        } catch (SQLException e) {
            c.rollback(savepoint);
            c.releaseSavepoint(savepoint);
            if (!isDataError(e)) {
                throw e;
            }
            if (to - from == 1) {
                failures.add(rejection(from, e));
                return;
            }
        }
        int mid = (from + to) >>> 1;
        split(c, from, mid, failures);
        split(c, mid, to, failures);
    }

    private Failure rejection(int row, SQLException e) {
        String text = rows.text(row == 0 ? 0 : rowEnds[row - 1], rowEnds[row] - 1);
        return rejection(elements.get(row), text, "SQLSTATE " + e.getSQLState() + ": " + e.getMessage());
    }

    private Failure rejection(T element, String row, String why) {
        String detail = Storable.truncate(Storable.text(target.table + ": " + why), MAX_DETAIL);
        return rejections.failure.failure(element, row, detail, System.currentTimeMillis());
    }

    /** Commits, with the batch's failure rows when they go to the failure table. */
    private void commit(Connection c, List<Failure> failures) throws SQLException {
        if (rejections.intoFailureTable && !failures.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement(PostgresSinks.INSERT_FAILURE)) {
                PostgresSinks.FailureStatement statement = new PostgresSinks.FailureStatement();
                for (Failure f : failures) {
                    statement.accept(ps, f);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
        }
        c.commit();
    }

    /** After the commit: the dead-letter topic, if configured. Failing here fails the task; the replay sends again. */
    private void recordElsewhere(List<Failure> failures) throws IOException {
        if (rejections.elsewhere == null) {
            return;
        }
        try {
            rejections.elsewhere.record(failures);
        } catch (Exception e) {
            throw new IOException("recording " + failures.size() + " rows " + target.table + " rejected failed", e);
        }
    }

    /**
     * Straight COPY into the table first: with deterministic ids a conflict only comes with a replay or a duplicate
     * in the batch, and then COPY fails as a whole with a unique violation, is rolled back, and the batch goes
     * through the staging table, which skips the rows already stored. {@code knownConflict}: the streamed COPY of
     * this batch already met a stored key, so go to the staging table at once.
     */
    private void write(byte[] data, boolean knownConflict) throws SQLException {
        Connection c = connection();
        if (!knownConflict) {
            try {
                copy(directCopySql, data);
                removeMoved(c);
                commit(c, rejected);
                return;
            } catch (SQLException e) {
                rollback(c);
                if (!UNIQUE_VIOLATION.equals(e.getSQLState())) {
                    throw e;
                }
            } catch (RuntimeException e) {
                rollback(c);
                throw new SQLException(e);
            }
        }
        try {
            copy(copySql, data);
            try (Statement st = c.createStatement()) {
                st.executeUpdate(insertSql);
            }
            commit(c, rejected);
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            throw e instanceof SQLException ? (SQLException) e : new SQLException(e);
        }
    }

    /**
     * After a straight COPY, before its commit: a row whose partition key may move (its time is its receive time) went
     * into the partition of its new key even if another partition holds its id, which the unique key cannot see.
     * Such rows are deleted again here: one look-up of each id per partition, only for those rows.
     */
    private void removeMoved(Connection c) throws SQLException {
        if (movedIds.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(removeMovedSql)) {
            ps.setArray(1, c.createArrayOf("text", movedIds.toArray()));
            ps.setArray(2, c.createArrayOf("text", movedKeys.toArray()));
            int removed = ps.executeUpdate();
            if (removed > 0) {
                LOG.info("{}: {} replayed rows whose time is their receive time were stored already", target.table,
                        removed);
            }
        }
    }

    private void copy(String sql, byte[] data) throws SQLException {
        CopyIn copy = copyManager.copyIn(sql);
        try {
            copy.writeToCopy(data, 0, data.length);
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                try {
                    copy.cancelCopy();
                } catch (SQLException ignored) {
                    // the error that ended the copy is the one that counts
                }
            }
        }
    }

    private static void rollback(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is closed and replaced by the caller
        }
    }

    private Connection connection() throws SQLException {
        if (connection != null) {
            return connection;
        }
        Connection c = PostgresLogin.connect(config);
        try (Statement st = c.createStatement()) {
            st.execute(target.createStaging());
            c.setAutoCommit(false);
            copyManager = c.unwrap(PGConnection.class).getCopyAPI();
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        connection = c;
        return c;
    }

    private void closeConnection() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already broken; a new one is opened for the next attempt
        }
        connection = null;
        copyManager = null;
        streaming = null;
    }

    /** Rows still buffered are dropped: close without end of input is a cancel or failover, which replays them. */
    @Override
    public void close() {
        closeConnection(); // which ends an open COPY and rolls its transaction back
    }
}
