package io.logflow.sink.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.config.SqlLiterals;
import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.Storable;
import io.logflow.model.UploadStatus;
import io.logflow.parse.LogFields;
import io.logflow.pipeline.FailureOptions;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.pipeline.StorableJson;
import io.logflow.pipeline.TemplateReport;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Idempotent, batched Postgres sinks: rows are keyed by the deterministic event and failure ids and inserted with
 * {@code ON CONFLICT DO NOTHING}, so a replay after a failover or from a savepoint writes nothing twice. Batches are
 * flushed on size, on the flush interval and on every checkpoint. Events, the bulk of the rows, go through COPY and a
 * staging table ({@link StagedCopySink}); failures and upload progress, a trickle, use flink-connector-jdbc.
 *
 * <p>Every string is made storable on its way in ({@link Storable#text}, jsonb built by {@link StorableJson}), so a
 * value can only be rejected for reasons no sanitising removes (an event time beyond PostgreSQL's range, an index
 * row too large). The event sink isolates such rows as {@code store_rejected} failures; the writers of failures and
 * uploads, which cannot isolate rows, also bound every value and keep every key and time in range, so they never
 * meet one.
 */
public final class PostgresSinks {
    private PostgresSinks() {}

    static final String INSERT_EVENT = "INSERT INTO log_events (event_id, workspace_id, event_time, ingest_time, "
            + "level, service, log_group, log_stream, message, trace_id, span_id, request_id, duration_ms, fields, "
            + "format, source, source_ref, routing_key, template_id) "
            + "VALUES (CAST(? AS uuid), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?) "
            + "ON CONFLICT (event_id, event_time) DO NOTHING";

    /**
     * ingest_failures is partitioned by failed_at, the time a failure was made, which a replay changes: a failure is
     * inserted only if no partition holds its id (the 12th parameter, the id again), a probe per partition. Failures
     * are a trickle, so that costs little.
     */
    public static final String INSERT_FAILURE = "INSERT INTO ingest_failures (failure_id, stage, reason, detail, source, "
            + "source_ref, workspace_id, raw, raw_size, failed_at, record) "
            + "SELECT CAST(? AS uuid), CAST(? AS text), CAST(? AS text), CAST(? AS text), CAST(? AS text), "
            + "CAST(? AS text), CAST(? AS text), CAST(? AS bytea), CAST(? AS integer), CAST(? AS timestamptz), "
            + "CAST(? AS jsonb) "
            + "WHERE NOT EXISTS (SELECT 1 FROM ingest_failures WHERE failure_id = CAST(? AS uuid)) "
            + "ON CONFLICT (failure_id, failed_at) DO NOTHING";

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

    /**
     * A template's report replaces the row unless the row has seen more: counts and times only grow, so a replay or
     * reports of parallel writers arriving out of order leave what the newest report made. One batch may hold two
     * reports of one template, so no batch rewrite (a multi-row upsert cannot touch a row twice).
     */
    static final String UPSERT_TEMPLATE = "INSERT INTO log_templates AS t (workspace_id, template_id, template, "
            + "first_seen, last_seen, events, example, routing_key, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (workspace_id, template_id) DO UPDATE SET "
            + "template = CASE WHEN EXCLUDED.events >= t.events THEN EXCLUDED.template ELSE t.template END, "
            + "first_seen = LEAST(t.first_seen, EXCLUDED.first_seen), "
            + "last_seen = GREATEST(t.last_seen, EXCLUDED.last_seen), "
            + "events = GREATEST(t.events, EXCLUDED.events), "
            + "example = COALESCE(t.example, EXCLUDED.example), "
            + "routing_key = COALESCE(EXCLUDED.routing_key, t.routing_key), updated_at = now()";

    /**
     * The columns of {@code log_events} the sink writes, in the order {@link EventRow} encodes them. The table is
     * partitioned by day of event_time, and its key is (event_id, event_time): an event's id and time are both
     * derived from its source, so a replay meets the stored row, except for an event whose time is its receive time
     * ({@code fields.timestamp_source = 'ingest'}), which a replay changes. Such rows are kept only if no other
     * partition holds their id ({@link EventRow#movableKey}).
     */
    static final StagedCopySink.Target LOG_EVENTS = new StagedCopySink.Target("log_events", List.of("event_id",
            "workspace_id", "event_time", "ingest_time", "level", "service", "log_group", "log_stream", "message",
            "trace_id", "span_id", "request_id", "duration_ms", "fields", "format", "source", "source_ref",
            "routing_key", "template_id"), "event_id, event_time", "event_id",
            "s.fields ->> '" + LogFields.TIMESTAMP_SOURCE + "' = '" + LogFields.TIMESTAMP_FROM_INGEST + "'");

    /** Events as {@link #logEvents(PostgresConfig, int, boolean, RejectedDocuments)}, rejected rows to the table. */
    public static Sink<LogEvent> logEvents(PostgresConfig config) {
        return logEvents(config, FailureOptions.MAX_RAW_BYTES.defaultValue(), true, null);
    }

    /**
     * Events, idempotent, in COPY batches through a staging table (see {@link StagedCopySink}, BENCHMARKS.md). An
     * event the table rejects becomes a {@code SINK}/{@code store_rejected} failure: in {@code ingest_failures} with
     * the batch when {@code failuresToTable}, and to {@code elsewhere} (the dead-letter topic) when not null.
     */
    public static Sink<LogEvent> logEvents(PostgresConfig config, int maxRawBytes, boolean failuresToTable,
            RejectedDocuments elsewhere) {
        return new StagedCopySink<>(config, LOG_EVENTS, new EventRow(),
                new StagedCopySink.Rejections<>(new StoreRejected(maxRawBytes), failuresToTable, elsewhere),
                new Partitions.Maintenance(config));
    }

    /** The batched per-row {@code INSERT} that {@link #logEvents} replaced; kept for the benchmark's comparison. */
    public static JdbcSink<LogEvent> logEventsByInsert(PostgresConfig config) {
        return JdbcSink.<LogEvent>builder()
                .withQueryStatement(INSERT_EVENT, new EventStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config));
    }

    /** Template reports (see {@link #UPSERT_TEMPLATE}). */
    public static JdbcSink<TemplateReport> templates(PostgresConfig config) {
        return JdbcSink.<TemplateReport>builder()
                .withQueryStatement(UPSERT_TEMPLATE, new TemplateStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config, config.url));
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
            ps.setObject(index, utc(inRange(epochMillis)));
        }
    }

    /** 0001-01-01 and 9999-12-31T23:59:59.999Z, well inside timestamptz's range and ISO-8601's plain form. */
    static final long MIN_TIME = -62_135_596_800_000L;
    static final long MAX_TIME = 253_402_300_799_999L;

    /** A time of a row that must not be rejected (a failure's, an upload's), clamped into {@link #MIN_TIME}.. */
    static long inRange(long epochMillis) {
        return Math.max(MIN_TIME, Math.min(MAX_TIME, epochMillis));
    }

    /** Characters of a free text kept in a row that must not be rejected (details, errors, references). */
    static final int MAX_TEXT = 8192;
    /** Characters of a key kept in a btree index: 3 bytes a character stays below the index row limit (~2700). */
    static final int MAX_KEY = 600;

    /** Storable and at most {@link #MAX_TEXT} characters. */
    static String boundedText(String s) {
        return Storable.truncate(Storable.text(s), MAX_TEXT);
    }

    /**
     * A value of an indexed key, storable and short enough for the index: a longer one keeps its start and gets a
     * hash of the whole, so two long keys stay apart and the same key maps to the same value every time.
     */
    public static String indexKey(String s) {
        String t = Storable.text(s);
        if (t == null || t.length() <= MAX_KEY) {
            return t;
        }
        return Storable.truncate(t, MAX_KEY - 38) + "~" + EventIds.of("long-key", t);
    }

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
            + "[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    static final class EventStatement implements JdbcStatementBuilder<LogEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, LogEvent e) throws SQLException {
            ps.setString(1, Storable.text(e.eventId));
            ps.setString(2, Storable.text(e.workspaceId));
            ps.setObject(3, utc(e.timestamp));
            ps.setObject(4, utc(e.ingestTime));
            ps.setString(5, e.level == null ? null : e.level.name());
            ps.setString(6, Storable.text(e.service));
            ps.setString(7, Storable.text(e.logGroup));
            ps.setString(8, Storable.text(e.logStream));
            ps.setString(9, Storable.text(e.message));
            ps.setString(10, Storable.text(e.traceId));
            ps.setString(11, Storable.text(e.spanId));
            ps.setString(12, Storable.text(e.requestId));
            if (e.durationMs == null || e.durationMs.isNaN() || e.durationMs.isInfinite()) {
                ps.setNull(13, Types.DOUBLE);
            } else {
                ps.setDouble(13, e.durationMs);
            }
            ps.setString(14, StorableJson.object(e.fields));
            ps.setString(15, Storable.text(e.format));
            ps.setString(16, e.source == null ? "UNKNOWN" : e.source.name());
            ps.setString(17, Storable.text(e.sourceRef));
            ps.setString(18, Storable.text(e.routingKey));
            ps.setString(19, Storable.text(e.templateId));
        }
    }

    /** One template report as the parameters of {@link #UPSERT_TEMPLATE}; every value bounded and storable. */
    static final class TemplateStatement implements JdbcStatementBuilder<TemplateReport> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, TemplateReport r) throws SQLException {
            ps.setString(1, indexKey(r.workspaceId == null ? "-" : r.workspaceId));
            ps.setString(2, indexKey(r.templateId == null ? "" : r.templateId));
            ps.setString(3, boundedText(r.template == null ? "" : r.template));
            ps.setObject(4, utc(inRange(r.firstSeen)));
            ps.setObject(5, utc(inRange(r.lastSeen)));
            ps.setLong(6, r.events);
            ps.setString(7, boundedText(r.example));
            ps.setString(8, boundedText(r.routingKey));
        }
    }

    /** One event as a row of {@link #LOG_EVENTS}, with the same values {@link EventStatement} binds. */
    static final class EventRow implements StagedCopySink.RowEncoder<LogEvent> {
        private static final long serialVersionUID = 1L;

        /** The event's time is its receive time, which a replay changes (and with it the partition). */
        @Override
        public String[] movableKey(LogEvent e) {
            if (e.fields == null || !LogFields.TIMESTAMP_FROM_INGEST.equals(e.fields.get(LogFields.TIMESTAMP_SOURCE))) {
                return null;
            }
            return new String[] {Storable.text(e.eventId), Instant.ofEpochMilli(e.timestamp).toString()};
        }

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
            row.value(StorableJson.object(e.fields)) // CopyText makes the other values storable itself
                    .value(e.format)
                    .value(e.source == null ? "UNKNOWN" : e.source.name())
                    .value(e.sourceRef)
                    .value(e.routingKey)
                    .value(e.templateId);
        }
    }

    static final class UploadStatement implements JdbcStatementBuilder<UploadStatus> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, UploadStatus u) throws SQLException {
            boolean finished = !UploadStatus.PROCESSING.equals(u.status);
            boolean known = u.status != null && UPLOAD_STATUSES.contains(u.status);
            ps.setString(1, uploadPath(u.path));
            ps.setString(2, uploadVersion(u.version));
            ps.setString(3, known ? u.status : UploadStatus.FAILED);
            ps.setLong(4, u.bytes);
            ps.setLong(5, u.lines);
            ps.setLong(6, u.events);
            ps.setLong(7, u.failures);
            ps.setLong(8, u.skipped);
            ps.setString(9, boundedText(known ? u.error : "unknown status '" + u.status + "'"
                    + (u.error == null ? "" : ": " + u.error)));
            long time = inRange(u.time);
            ps.setObject(10, utc(time));
            setTime(ps, 11, finished ? null : time);
            setTime(ps, 12, finished ? time : null);
            ps.setObject(13, utc(time));
        }
    }

    private static final Set<String> UPLOAD_STATUSES =
            Set.of(UploadStatus.PROCESSING, UploadStatus.DONE, UploadStatus.FAILED);

    /** The path of an {@code uploads} row: storable, never null, short enough for the primary key's index. */
    public static String uploadPath(String path) {
        return path == null ? "" : indexKey(path);
    }

    /** The version of an {@code uploads} row, like {@link #uploadPath}. */
    public static String uploadVersion(String version) {
        return version == null ? "" : indexKey(version);
    }

    /** Binds a failure to {@link #INSERT_FAILURE}; the rejected-document path of Elasticsearch uses it too. */
    public static final class FailureStatement implements JdbcStatementBuilder<Failure> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, Failure f) throws SQLException {
            ps.setString(1, failureId(f));
            ps.setString(2, f.stage == null ? "UNKNOWN" : f.stage.name());
            ps.setString(3, f.reason == null ? "unknown" : Storable.truncate(Storable.text(f.reason), 200));
            ps.setString(4, boundedText(f.detail));
            ps.setString(5, f.source == null ? null : f.source.name());
            ps.setString(6, boundedText(f.sourceRef));
            ps.setString(7, boundedText(f.workspaceId));
            ps.setBytes(8, f.raw);
            ps.setInt(9, f.rawSize);
            ps.setObject(10, utc(inRange(f.time)));
            ps.setString(11, StorableJson.jsonb(f.record)); // not bounded: a replay needs it whole
            ps.setString(12, failureId(f));
        }

        /** The failure's id when it is a UUID (as every factory makes it), else one derived from what it holds. */
        static String failureId(Failure f) {
            if (f.failureId != null && UUID.matcher(f.failureId).matches()) {
                return f.failureId;
            }
            if (f.failureId != null) {
                return EventIds.of("failure-id", Storable.text(f.failureId));
            }
            return EventIds.of("failure", f.stage == null ? null : f.stage.name(), Storable.text(f.reason),
                    Storable.text(f.sourceRef), Long.toString(f.time));
        }
    }

    /**
     * An event {@code log_events} rejected, as a {@code SINK}/{@code store_rejected} failure: the id is derived from
     * the event id (else its source reference, else the row), so a replay records the same failure; {@code raw} is
     * the message (else the row) and {@code record} the event, which {@code replay} can feed through again.
     */
    static final class StoreRejected implements StagedCopySink.RejectedRow<LogEvent> {
        private static final long serialVersionUID = 1L;
        private static final ObjectMapper JSON = new ObjectMapper().registerModule(StorableJson.module());
        private final int maxRawBytes;

        StoreRejected(int maxRawBytes) {
            this.maxRawBytes = maxRawBytes;
        }

        @Override
        public Failure failure(LogEvent e, String row, String detail, long time) {
            String ref = e.sourceRef != null ? e.sourceRef : "postgres:log_events/" + e.eventId;
            String rawText = e.message != null ? e.message : row != null ? row : "";
            Failure f = Failure.ofPayload(FailureStage.SINK, StagedCopySink.STORE_REJECTED, detail, e.source,
                    Storable.text(ref), rawText.getBytes(StandardCharsets.UTF_8), maxRawBytes, time);
            f.failureId = EventIds.of("failure", FailureStage.SINK.name(), StagedCopySink.STORE_REJECTED,
                    e.eventId != null ? e.eventId : e.sourceRef != null ? e.sourceRef : row);
            f.workspaceId = Storable.text(e.workspaceId);
            try {
                f.record = JSON.writeValueAsString(e);
            } catch (JsonProcessingException | RuntimeException ex) {
                f.record = null; // still recorded, only not replayable
            }
            return f;
        }
    }

    /**
     * flink-connector-jdbc's options for {@code table} of the job's database, as a Flink SQL table, as SQL string literals: the metrics
     * tables are declared with them.
     */
    public static String sqlTableOptions(PostgresConfig postgres, String table) {
        StringBuilder options = new StringBuilder(sqlConnectionOptions(postgres, table));
        option(options, "sink.buffer-flush.max-rows", String.valueOf(postgres.batchSize));
        option(options, "sink.buffer-flush.interval", postgres.flushInterval.toMillis() + " ms");
        option(options, "sink.max-retries", String.valueOf(postgres.maxRetries));
        return options.toString();
    }

    /** The connector, URL, user and password and {@code table}: what a table that is only read needs. */
    public static String sqlConnectionOptions(PostgresConfig postgres, String table) {
        StringBuilder options = new StringBuilder();
        option(options, "connector", "jdbc");
        option(options, "url", postgres.url);
        option(options, "table-name", table);
        option(options, "username", postgres.user);
        if (postgres.password != null) {
            option(options, "password", postgres.password);
        }
        return options.toString();
    }

    private static void option(StringBuilder options, String key, String value) {
        if (options.length() > 0) {
            options.append(", ");
        }
        options.append(SqlLiterals.quote(key)).append(" = ").append(SqlLiterals.quote(value));
    }
}
