package io.logflow.sink.postgres;

import io.logflow.model.Storable;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceStatus;
import io.logflow.workspace.WorkspaceValidation;
import org.apache.flink.connector.jdbc.JdbcConnectionOptions;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The job's writers of the Postgres {@code workspaces} table (the job is its only writer):
 * <ul>
 *   <li>{@value #REGISTRATIONS_UID}: every registration upserted by id, a tombstone deletes the row. One statement does
 *       either, so the changes of a workspace apply in topic order. The verification columns are kept, unless the AWS
 *       account changed.</li>
 *   <li>{@value #VALIDATIONS_UID}: a validation sets {@code verified_at}, {@code verification_nonce} and
 *       {@code verified_log_group}. It carries the registration, so it inserts the row if the registration writer has
 *       not yet; the registration writer in turn never touches these columns, so the two commute.</li>
 * </ul>
 * Both are idempotent: a replay writes the same rows (a repeated nonce keeps its first {@code verified_at}).
 *
 * <p>{@link #list} and {@link #find} read the table for the {@code workspace list|status} commands.
 *
 * <p>flink-connector-jdbc cannot set one row aside, so a row it could not store would fail the writer for ever. The
 * statements therefore bind only storable values: every string through {@link Storable#text}, indexed keys and the
 * free text of a validation line bounded.
 */
public final class WorkspaceTable {
    public static final String REGISTRATIONS_UID = "postgres-workspaces";
    public static final String VALIDATIONS_UID = "postgres-validations";

    static final String APPLY_CHANGE = "WITH removed AS (DELETE FROM workspaces WHERE id = ? AND CAST(? AS boolean)) "
            + "INSERT INTO workspaces (id, name, description, aws_account_id, log_groups, upload_prefixes, status, "
            + "created_at, updated_at) "
            + "SELECT ?, ?, ?, ?, ?, ?, ?, now(), now() WHERE CAST(? AS boolean) "
            + "ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, "
            + "log_groups = EXCLUDED.log_groups, upload_prefixes = EXCLUDED.upload_prefixes, status = EXCLUDED.status, "
            + "verified_at = CASE WHEN workspaces.aws_account_id IS DISTINCT FROM EXCLUDED.aws_account_id THEN NULL "
            + "ELSE workspaces.verified_at END, "
            + "verification_nonce = CASE WHEN workspaces.aws_account_id IS DISTINCT FROM EXCLUDED.aws_account_id "
            + "THEN NULL ELSE workspaces.verification_nonce END, "
            + "verified_log_group = CASE WHEN workspaces.aws_account_id IS DISTINCT FROM EXCLUDED.aws_account_id "
            + "THEN NULL ELSE workspaces.verified_log_group END, "
            + "aws_account_id = EXCLUDED.aws_account_id, updated_at = now()";

    static final String VERIFY = "INSERT INTO workspaces (id, name, description, aws_account_id, log_groups, "
            + "upload_prefixes, status, verified_at, verification_nonce, verified_log_group, created_at, updated_at) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), now()) "
            + "ON CONFLICT (id) DO UPDATE SET "
            + "verified_at = CASE WHEN workspaces.verification_nonce = EXCLUDED.verification_nonce "
            + "AND workspaces.verified_at IS NOT NULL THEN workspaces.verified_at ELSE EXCLUDED.verified_at END, "
            + "verification_nonce = EXCLUDED.verification_nonce, verified_log_group = EXCLUDED.verified_log_group, "
            + "updated_at = now()";

    private WorkspaceTable() {}

    /** Adds both writers: registrations (one writer, in topic order) and validations. */
    public static void write(DataStream<WorkspaceChange> registrations, DataStream<WorkspaceValidation> validations,
            PostgresConfig postgres) {
        registrations.sinkTo(registrationSink(postgres))
                .uid(REGISTRATIONS_UID)
                .name("Postgres workspaces")
                .setParallelism(1);
        validations.sinkTo(validationSink(postgres))
                .uid(VALIDATIONS_UID)
                .name("Postgres workspace validations");
    }

    public static JdbcSink<WorkspaceChange> registrationSink(PostgresConfig config) {
        return JdbcSink.<WorkspaceChange>builder()
                .withQueryStatement(APPLY_CHANGE, new ChangeStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config));
    }

    public static JdbcSink<WorkspaceValidation> validationSink(PostgresConfig config) {
        return JdbcSink.<WorkspaceValidation>builder()
                .withQueryStatement(VERIFY, new ValidationStatement())
                .withExecutionOptions(executionOptions(config))
                .buildAtLeastOnce(connectionOptions(config));
    }

    static JdbcConnectionOptions connectionOptions(PostgresConfig config) {
        return new JdbcConnectionOptions.JdbcConnectionOptionsBuilder()
                .withUrl(config.url)
                .withDriverName("org.postgresql.Driver")
                .withUsername(config.user)
                .withPassword(config.password)
                .build();
    }

    private static JdbcExecutionOptions executionOptions(PostgresConfig config) {
        // Registrations are few; the flush interval bounds how late the table follows the topic.
        return JdbcExecutionOptions.builder()
                .withBatchSize(Math.min(config.batchSize, 100))
                .withBatchIntervalMs(config.flushInterval.toMillis())
                .withMaxRetries(config.maxRetries)
                .build();
    }

    static final String SELECT = "SELECT w.id, w.name, w.description, w.aws_account_id, w.log_groups, "
            + "w.upload_prefixes, w.status, w.verified_at, w.verification_nonce, w.verified_log_group, "
            + "coalesce(w.last_event_at, (SELECT max(e.event_time) FROM log_events e WHERE e.workspace_id = w.id)) "
            + "FROM workspaces w";

    /** A workspace as the table holds it, with the time of its last event. */
    public static final class Row {
        public final String id;
        public final String name;
        /** Null if it has none. */
        public final String description;
        /** Null if it has none. */
        public final String awsAccountId;
        public final List<String> logGroups;
        public final List<String> uploadPrefixes;
        public final String status;
        /** Null while not verified; then the nonce and the log group of the validation line are null too. */
        public final Instant verifiedAt;
        public final String verificationNonce;
        public final String verifiedLogGroup;
        /** Null if it has no event yet. */
        public final Instant lastEventAt;

        private Row(ResultSet rs) throws SQLException {
            id = rs.getString(1);
            name = rs.getString(2);
            description = rs.getString(3);
            awsAccountId = rs.getString(4);
            logGroups = strings(rs.getArray(5));
            uploadPrefixes = strings(rs.getArray(6));
            status = rs.getString(7);
            verifiedAt = instant(rs.getTimestamp(8));
            verificationNonce = rs.getString(9);
            verifiedLogGroup = rs.getString(10);
            lastEventAt = instant(rs.getTimestamp(11));
        }

        private static List<String> strings(java.sql.Array array) throws SQLException {
            return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
        }

        private static Instant instant(Timestamp t) {
            return t == null ? null : t.toInstant();
        }
    }

    /** Every workspace, by id. Errors are {@link PostgresException}s. */
    public static List<Row> list(PostgresConfig postgres) {
        try (Connection c = PostgresLogin.connect(postgres);
                PreparedStatement st = c.prepareStatement(SELECT + " ORDER BY w.id");
                ResultSet rs = st.executeQuery()) {
            List<Row> rows = new ArrayList<>();
            while (rs.next()) {
                rows.add(new Row(rs));
            }
            return rows;
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }

    /** The workspace {@code id}, if the table has it. Errors are {@link PostgresException}s. */
    public static Optional<Row> find(PostgresConfig postgres, String id) {
        try (Connection c = PostgresLogin.connect(postgres);
                PreparedStatement st = c.prepareStatement(SELECT + " WHERE w.id = ?")) {
            st.setString(1, id);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? Optional.of(new Row(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }

    /** Characters of an indexed key (id, account) kept: far above what validation lets through, below the index limit. */
    static final int MAX_KEY = 600;
    /** Characters of a validation line's free text (nonce, log group) kept. */
    static final int MAX_TEXT = 8192;
    /** A validation's time is clamped into 0001-01-01 .. 9999-12-31, inside timestamptz's range. */
    private static final long MIN_TIME = -62_135_596_800_000L;
    private static final long MAX_TIME = 253_402_300_799_999L;

    private static void setWorkspace(PreparedStatement ps, int first, Workspace w) throws SQLException {
        String id = w.id == null ? "" : key(w.id);
        ps.setString(first, id);
        ps.setString(first + 1, w.name == null ? id : Storable.text(w.name));
        ps.setString(first + 2, Storable.text(w.description));
        ps.setString(first + 3, key(w.awsAccountId));
        ps.setArray(first + 4, textArray(ps, w.logGroups));
        ps.setArray(first + 5, textArray(ps, w.uploadPrefixes));
        ps.setString(first + 6, (w.status == null ? WorkspaceStatus.ACTIVE : w.status).name());
    }

    static String key(String s) {
        return Storable.truncate(Storable.text(s), MAX_KEY);
    }

    static String text(String s) {
        return Storable.truncate(Storable.text(s), MAX_TEXT);
    }

    private static java.sql.Array textArray(PreparedStatement ps, List<String> values) throws SQLException {
        Object[] storable = new Object[values == null ? 0 : values.size()];
        for (int i = 0; i < storable.length; i++) {
            storable[i] = Storable.text(values.get(i));
        }
        return ps.getConnection().createArrayOf("text", storable);
    }

    static final class ChangeStatement implements JdbcStatementBuilder<WorkspaceChange> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, WorkspaceChange change) throws SQLException {
            // An unreadable record is a no-op: neither delete nor insert.
            String id = change.id == null ? "" : key(change.id);
            ps.setString(1, id);
            ps.setBoolean(2, change.isDelete());
            if (change.isPut()) {
                setWorkspace(ps, 3, change.workspace);
            } else {
                ps.setString(3, id);
                ps.setString(4, "");
                ps.setNull(5, Types.VARCHAR);
                ps.setNull(6, Types.VARCHAR);
                ps.setArray(7, textArray(ps, List.of()));
                ps.setArray(8, textArray(ps, List.of()));
                ps.setString(9, WorkspaceStatus.ACTIVE.name());
            }
            ps.setBoolean(10, change.isPut());
        }
    }

    static final class ValidationStatement implements JdbcStatementBuilder<WorkspaceValidation> {
        private static final long serialVersionUID = 1L;

        @Override
        public void accept(PreparedStatement ps, WorkspaceValidation v) throws SQLException {
            Workspace w = v.workspace;
            if (w == null) {
                String id = v.workspaceId == null ? "" : v.workspaceId;
                w = new Workspace(id, id, null, List.of(), List.of());
            }
            setWorkspace(ps, 1, w);
            long verifiedAt = Math.max(MIN_TIME, Math.min(MAX_TIME, v.verifiedAt));
            ps.setObject(8, OffsetDateTime.ofInstant(Instant.ofEpochMilli(verifiedAt), ZoneOffset.UTC));
            ps.setString(9, text(v.nonce));
            ps.setString(10, text(v.logGroup));
        }
    }
}
