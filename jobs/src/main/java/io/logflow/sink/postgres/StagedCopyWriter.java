package io.logflow.sink.postgres;

import io.logflow.config.JobConfig.PostgresConfig;
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
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

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
 */
final class StagedCopyWriter<T> implements SinkWriter<T> {
    private static final Logger LOG = LoggerFactory.getLogger(StagedCopyWriter.class);
    private static final int BYTES_PER_ROW_GUESS = 400;
    private static final String UNIQUE_VIOLATION = "23505";
    static final int STREAM_CHUNK_CHARS = 64 * 1024;

    private final PostgresConfig config;
    private final StagedCopySink.Target target;
    private final StagedCopySink.RowEncoder<T> encoder;
    private final ProcessingTimeService time;
    private final Counter rowsWritten;
    private final CopyText rows;
    private final String directCopySql;
    private final String copySql;
    private final String insertSql;

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

    StagedCopyWriter(PostgresConfig config, StagedCopySink.Target target, StagedCopySink.RowEncoder<T> encoder,
            ProcessingTimeService time, Counter rowsWritten) {
        this.config = config;
        this.target = target;
        this.encoder = encoder;
        this.time = time;
        this.rowsWritten = rowsWritten;
        this.rows = new CopyText(Math.min(config.batchSize, 10_000) * BYTES_PER_ROW_GUESS);
        this.directCopySql = target.directCopy();
        this.copySql = target.copy();
        this.insertSql = target.insert();
    }

    @Override
    public void write(T element, Context context) throws IOException, InterruptedException {
        encoder.encode(element, rows);
        rows.endRow();
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
                connection.commit();
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

    /** One timer at a time; if it fires for a batch already written, it re-arms for the batch buffered since. */
    private void scheduleFlush() {
        timerSet = true;
        long forBatch = batch;
        time.registerTimer(batchStarted + config.flushInterval.toMillis(), t -> {
            timerSet = false;
            if (forBatch == batch) {
                flushBatch();
            } else if (buffered > 0) {
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
        if (buffered == 0) {
            return;
        }
        boolean written = finishStream();
        boolean knownConflict = streamError != null && UNIQUE_VIOLATION.equals(streamError.getSQLState());
        if (streamError != null && !knownConflict) {
            LOG.warn("Streaming {} rows to {} failed; writing them again", buffered, target.table, streamError);
        }
        byte[] data = written ? null : rows.toString().getBytes(StandardCharsets.UTF_8);
        for (int attempt = 0; !written; attempt++) {
            try {
                write(data, knownConflict);
                break;
            } catch (SQLException e) {
                closeConnection();
                if (attempt >= config.maxRetries) {
                    throw new IOException("writing " + buffered + " rows to " + target.table + " failed after "
                            + (attempt + 1) + " attempts", e);
                }
                LOG.warn("Writing {} rows to {} failed (attempt {} of {}); retrying", buffered, target.table,
                        attempt + 1, config.maxRetries + 1, e);
                Thread.sleep(1000L * (attempt + 1));
            }
        }
        rowsWritten.inc(buffered);
        buffered = 0;
        batch++;
        streamed = 0;
        streamError = null;
        rows.clear(Math.min(config.batchSize, 10_000) * BYTES_PER_ROW_GUESS);
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
                c.commit();
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
            c.commit();
        } catch (SQLException | RuntimeException e) {
            rollback(c);
            throw e instanceof SQLException ? (SQLException) e : new SQLException(e);
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
        Properties props = new Properties();
        props.setProperty("user", config.user);
        props.setProperty("password", config.password == null ? "" : config.password);
        // The driver directly, not DriverManager: it may not see drivers of the job's class loader.
        Connection c = new org.postgresql.Driver().connect(config.url, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + config.url);
        }
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
