package io.logflow.sink.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.config.JobConfig.PostgresConfig;
import io.logflow.model.Failure;
import io.logflow.model.LogEvent;
import io.logflow.model.UploadStatus;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * Idempotent, batched Postgres sinks: rows are keyed by the deterministic event and failure ids and inserted with
 * {@code ON CONFLICT DO NOTHING}, so a replay after a failover or from a savepoint writes nothing twice. Batches are
 * flushed on size, on the flush interval and on every checkpoint. Events, the bulk of the rows, go through COPY and a
 * staging table ({@link StagedCopySink}); failures and upload progress, a trickle, use flink-connector-jdbc.
 */
public final class PostgresSinks {
    private PostgresSinks() {}

    static final String INSERT_EVENT = "INSERT INTO log_events (event_id, workspace_id, event_time, ingest_time, "
            + "level, service, log_group, log_stream, message, trace_id, span_id, request_id, duration_ms, fields, "
            + "format, source, source_ref, routing_key) "
            + "VALUES (CAST(? AS uuid), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?) "
            + "ON CONFLICT (event_id) DO NOTHING";

    public static final String INSERT_FAILURE = "INSERT INTO ingest_failures (failure_id, stage, reason, detail, source, "
            + "source_ref, workspace_id, raw, raw_size, failed_at, record) "
            + "VALUES (CAST(? AS uuid), ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb)) ON CONFLICT (failure_id) DO NOTHING";

    /**
     * A later status of a file replaces an earlier one (statuses may reach parallel sink writers out of order), and
     * any status replaces PENDING (written by the enumerator with the database's clock); first_seen stays the first.
     */
    static final String UPSERT_UPLOAD = "INSERT INTO uploads AS u (path, version, status, bytes, lines, events, "
            + "failures, skipped, error, first_seen, started_at, finished_at, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            + "ON CONFLICT (path, version) DO UPDATE SET status = EXCLUDED.status, bytes = EXCLUDED.bytes, "
            + "lines = EXCLUDED.lines, events = EXCLUDED.events, failures = EXCLUDED.failures, "
            + "skipped = EXCLUDED.skipped, error = EXCLUDED.error, "
            + "started_at = COALESCE(EXCLUDED.started_at, u.started_at), finished_at = EXCLUDED.finished_at, "
            + "updated_at = EXCLUDED.updated_at "
            + "WHERE u.status = 'PENDING' OR u.updated_at <= EXCLUDED.updated_at";

    /** The columns of {@code log_events} the sink writes, in the order {@link EventRow} encodes them. */
    static final StagedCopySink.Target LOG_EVENTS = new StagedCopySink.Target("log_events", List.of("event_id",
            "workspace_id", "event_time", "ingest_time", "level", "service", "log_group", "log_stream", "message",
            "trace_id", "span_id", "request_id", "duration_ms", "fields", "format", "source", "source_ref",
            "routing_key"), "event_id");

    /** Events, idempotent, in COPY batches through a staging table (see {@link StagedCopySink}, BENCHMARKS.md). */
    public static Sink<LogEvent> logEvents(PostgresConfig config) {
        return new StagedCopySink<>(config, LOG_EVENTS, new EventRow());
    }

    /** The batched per-row {@code INSERT} that {@link #logEvents} replaced; kept for the benchmark's comparison. */
    public static JdbcSink<LogEvent> logEventsByInsert(PostgresConfig config) {
        return JdbcSink.<LogEvent>builder()
                .withQueryStatement(INSERT_EVENT, new EventStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config));
    }

    public static JdbcSink<Failure> failures(PostgresConfig config) {
        return JdbcSink.<Failure>builder()
                .withQueryStatement(INSERT_FAILURE, new FailureStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config));
    }

    /** Upload progress: few rows, upserted; one batch may hold two statuses of one file, so no batch rewrite. */
    public static JdbcSink<UploadStatus> uploads(PostgresConfig config) {
        return JdbcSink.<UploadStatus>builder()
                .withQueryStatement(UPSERT_UPLOAD, new UploadStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config, config.url));
    }

    static JdbcConnectionOptions connectionOptions(PostgresConfig config) {
        return connectionOptions(config, withBatchRewrite(config.url));
    }

    private static JdbcConnectionOptions connectionOptions(PostgresConfig config, String url) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(url)
                .withDriverName("org.postgresql.Driver")
                .withUsername(config.user)
                .withPassword(config.password)
                .build();
    }

    /** pgjdbc sends a batch as one multi-row INSERT with this flag: about twice the rows per second. */
    static String withBatchRewrite(String url) {
        if (url.contains("reWriteBatchedInserts")) {
            return url;
        }
        return url + (url.contains("?") ? "&" : "?") + "reWriteBatchedInserts=true";
    }

    private static JdbcExecutionOptions executionOptions(PostgresConfig config) {
        return JdbcExecutionOptions.builder()
                .withBatchSize(config.batchSize)
                .withBatchIntervalMs(config.flushInterval.toMillis())
                .withMaxRetries(config.maxRetries)
                .build();
    }

    static OffsetDateTime utc(long epochMillis) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMillis), ZoneOffset.UTC);
    }

    static void setTime(PreparedStatement ps, int index, Long epochMillis) throws SQLException {
        if (epochMillis == null) {
            ps.setNull(index, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(index, utc(epochMillis));
        }
    }

    /** jsonb rejects NUL raw or as the escape Jackson writes for it. */
    static String jsonText(String json) {
        return text(json).replace("\\u0000", "\uFFFD");
    }

    /** PostgreSQL text and jsonb cannot hold NUL; a log line may. */
    static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }

    static final class EventStatement implements JdbcStatementBuilder<LogEvent> {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper();

        @Override
        public void accept(PreparedStatement ps, LogEvent e) throws SQLException {
            ps.setString(1, e.eventId);
            ps.setString(2, text(e.workspaceId));
            ps.setObject(3, utc(e.timestamp));
            ps.setObject(4, utc(e.ingestTime));
            ps.setString(5, e.level == null ? null : e.level.name());
            ps.setString(6, text(e.service));
            ps.setString(7, text(e.logGroup));
            ps.setString(8, text(e.logStream));
            ps.setString(9, text(e.message));
            ps.setString(10, text(e.traceId));
            ps.setString(11, text(e.spanId));
            ps.setString(12, text(e.requestId));
            if (e.durationMs == null || e.durationMs.isNaN() || e.durationMs.isInfinite()) {
                ps.setNull(13, Types.DOUBLE);
            } else {
                ps.setDouble(13, e.durationMs);
            }
            ps.setString(14, fieldsJson(e.fields));
            ps.setString(15, e.format);
            ps.setString(16, e.source == null ? "UNKNOWN" : e.source.name());
            ps.setString(17, text(e.sourceRef));
            ps.setString(18, text(e.routingKey));
        }

        static String fieldsJson(Map<String, String> fields) throws SQLException {
            if (fields == null || fields.isEmpty()) {
                return null;
            }
            try {
                // Jackson writes NUL as the escape \u0000, which jsonb rejects just like a raw NUL.
                return jsonText(JSON.writeValueAsString(fields));
            } catch (JsonProcessingException e) {
                throw new SQLException("fields cannot be written as JSON", e);
            }
        }
    }

    /** One event as a row of {@link #LOG_EVENTS}, with the same values {@link EventStatement} binds. */
    static final class EventRow implements StagedCopySink.RowEncoder<LogEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void encode(LogEvent e, CopyText row) {
            row.value(e.eventId)
                    .value(e.workspaceId)
                    .value(Instant.ofEpochMilli(e.timestamp).toString())
                    .value(Instant.ofEpochMilli(e.ingestTime).toString())
                    .value(e.level == null ? null : e.level.name())
                    .value(e.service)
                    .value(e.logGroup)
                    .value(e.logStream)
                    .value(e.message)
                    .value(e.traceId)
                    .value(e.spanId)
                    .value(e.requestId);
            if (e.durationMs == null || e.durationMs.isNaN() || e.durationMs.isInfinite()) {
                row.nullValue();
            } else {
                row.value(e.durationMs.doubleValue());
            }
            String fields;
            try {
                fields = EventStatement.fieldsJson(e.fields);
            } catch (SQLException ex) {
                throw new IllegalStateException(ex.getMessage(), ex.getCause());
            }
            row.value(fields)
                    .value(e.format)
                    .value(e.source == null ? "UNKNOWN" : e.source.name())
                    .value(e.sourceRef)
                    .value(e.routingKey);
        }
    }

    static final class UploadStatement implements JdbcStatementBuilder<UploadStatus> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, UploadStatus u) throws SQLException {
            boolean finished = !UploadStatus.PROCESSING.equals(u.status);
            ps.setString(1, text(u.path));
            ps.setString(2, text(u.version));
            ps.setString(3, u.status);
            ps.setLong(4, u.bytes);
            ps.setLong(5, u.lines);
            ps.setLong(6, u.events);
            ps.setLong(7, u.failures);
            ps.setLong(8, u.skipped);
            ps.setString(9, text(u.error));
            ps.setObject(10, utc(u.time));
            setTime(ps, 11, finished ? null : u.time);
            setTime(ps, 12, finished ? u.time : null);
            ps.setObject(13, utc(u.time));
        }
    }

    /** Binds a failure to {@link #INSERT_FAILURE}; the rejected-document path of Elasticsearch uses it too. */
    public static final class FailureStatement implements JdbcStatementBuilder<Failure> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, Failure f) throws SQLException {
            ps.setString(1, f.failureId);
            ps.setString(2, f.stage.name());
            ps.setString(3, f.reason);
            ps.setString(4, text(f.detail));
            ps.setString(5, f.source == null ? null : f.source.name());
            ps.setString(6, text(f.sourceRef));
            ps.setString(7, text(f.workspaceId));
            ps.setBytes(8, f.raw);
            ps.setInt(9, f.rawSize);
            ps.setObject(10, utc(f.time));
            ps.setString(11, f.record == null ? null : jsonText(f.record));
        }
    }
}
