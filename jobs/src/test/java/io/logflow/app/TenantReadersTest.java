package io.logflow.app;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.TenantReaders;
import io.logflow.testing.PostgresExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code workspace grant ID --role NAME}: the role reads its workspace's rows of every table and analyst view and
 * nothing of another workspace's, not even by naming an id or a partition; the job's role still sees and writes all.
 * {@code workspace grant --all --role NAME}: a role that reads every workspace's rows and writes nothing.
 */
class TenantReadersTest {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    private static final String PASSWORD = "s3cret-for-tests";
    private static final String TODAY = LocalDate.now(ZoneOffset.UTC) + "T10:00:00Z";
    /** Rows seeded per workspace and table: acme, globex, and rows of no workspace. */
    private static final int ACME = 3;
    private static final int GLOBEX = 2;
    private static PostgresConfig db;
    private static String globexEventId;

    @BeforeAll
    static void seed() throws Exception {
        db = POSTGRES.freshDatabase();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement()) {
            st.execute("INSERT INTO workspaces (id, name, upload_prefixes) VALUES "
                    + "('acme', 'ACME', '{acme/}'), ('globex', 'Globex', '{s3://bucket/globex/}')");
            for (String ws : new String[] {"acme", "globex", null}) {
                int n = ws == null ? 1 : ws.equals("acme") ? ACME : GLOBEX;
                String w = ws == null ? "NULL" : "'" + ws + "'";
                String m = ws == null ? "'-'" : w;
                for (int i = 0; i < n; i++) {
                    String id = UUID.nameUUIDFromBytes((ws + i).getBytes(StandardCharsets.UTF_8)).toString();
                    if ("globex".equals(ws)) {
                        globexEventId = id;
                    }
                    String minute = "TIMESTAMP '2026-12-01 10:0" + i + ":00'";
                    st.execute("INSERT INTO log_events (event_id, workspace_id, event_time, ingest_time, level, message, "
                            + "source, source_ref) VALUES ('" + id + "', " + w + ", '" + TODAY + "', '" + TODAY
                            + "', 'INFO', 'hello', 'KAFKA', 'ref" + i + "')");
                    st.execute("INSERT INTO ingest_failures (failure_id, stage, reason, workspace_id, failed_at) VALUES ('"
                            + id + "', 'PARSE', 'invalid_json', " + w + ", '" + TODAY + "')");
                    st.execute("INSERT INTO uploads (path, version, status, first_seen, updated_at) VALUES ("
                            + (ws == null ? "'file:/data/logs/unclaimed/a" + i + ".log'"
                                    : ws.equals("acme") ? "'file:/data/logs/acme/web/2026/12/01/a" + i + ".log'"
                                    : "'s3://bucket/globex/web/2026/12/01/a" + i + ".log'")
                            + ", 'v1', 'DONE', now(), now())");
                    for (String metrics : List.of("metrics_minute", "metrics_day", "metrics_week")) {
                        st.execute("INSERT INTO " + metrics + " VALUES (" + minute + ", " + minute + " + interval '1 minute', "
                                + m + ", 'svc', 'INFO', 1, 1, 0, 0)");
                    }
                    st.execute("INSERT INTO metrics_latency_minute VALUES (" + minute + ", " + minute
                            + " + interval '1 minute', " + m + ", 'svc', 1, 1, 1, 1, 1, 1)");
                    st.execute("INSERT INTO metrics_requests_minute VALUES (" + minute + ", " + minute
                            + " + interval '1 minute', " + m + ", 'svc', 1, 0, 0)");
                    st.execute("INSERT INTO metrics_templates_hour VALUES (" + minute + ", " + minute
                            + " + interval '1 hour', " + m + ", " + (i + 1) + ", 'tpl', 1, 'msg')");
                    st.execute("INSERT INTO failed_requests VALUES (" + m + ", 'req" + i + "', " + minute
                            + ", 'svc', 'error', 'first', 'boom', 2, 5)");
                    st.execute("INSERT INTO log_templates (workspace_id, template_id, template, first_seen, last_seen, "
                            + "events) VALUES (" + m + ", 'tpl" + i + "', 'hello', " + minute + ", " + minute + ", 1)");
                }
            }
        }
        assertThat(grant("acme", "acme_reader").exitCode).isZero();
        assertThat(grant("globex", "globex_reader").exitCode).isZero();
    }

    @Test
    void aReaderSeesOnlyItsWorkspacesRowsInEveryTableAndView() throws Exception {
        Map<String, Long> expected = new LinkedHashMap<>();
        for (String table : TenantReaders.TABLES) {
            expected.put(table, table.contains("workspace") ? 1L : (long) ACME);
        }
        assertThat(counts("acme_reader")).isEqualTo(expected);

        for (String table : TenantReaders.TABLES) {
            expected.put(table, table.contains("workspace") ? 1L : (long) GLOBEX);
        }
        assertThat(counts("globex_reader")).isEqualTo(expected);

        // Every row acme sees is acme's.
        try (Connection c = connectAs("acme_reader"); Statement st = c.createStatement()) {
            for (String table : TenantReaders.TABLES) {
                if (!table.equals("uploads") && !table.equals("analyst_uploads")) {
                    String column = table.endsWith("workspaces") ? "id" : "workspace_id";
                    assertThat(one(st, "SELECT count(*) FROM " + table + " WHERE " + column + " IS DISTINCT FROM 'acme'"))
                            .as(table).isZero();
                }
            }
            assertThat(one(st, "SELECT count(*) FROM uploads WHERE path NOT LIKE '%/acme/%'")).isZero();
        }
    }

    @Test
    void aReaderFindsNothingOfAnotherWorkspaceByItsIdNorThroughAPartitionAndCannotWrite() throws Exception {
        try (Connection c = connectAs("acme_reader"); Statement st = c.createStatement()) {
            assertThat(one(st, "SELECT count(*) FROM log_events WHERE event_id = '" + globexEventId + "'")).isZero();
            assertThat(one(st, "SELECT count(*) FROM analyst_log_events WHERE event_id = '" + globexEventId + "'"))
                    .isZero();
            assertThat(one(st, "SELECT count(*) FROM ingest_failures WHERE failure_id = '" + globexEventId + "'"))
                    .isZero();
            assertThat(one(st, "SELECT count(*) FROM workspaces WHERE id = 'globex'")).isZero();
            String partition = "log_events_p" + DateTimeFormatter.BASIC_ISO_DATE.format(LocalDate.now(ZoneOffset.UTC));
            for (String direct : List.of(partition, "log_events_default", "ingest_failures_default")) {
                assertThatThrownBy(() -> one(st, "SELECT count(*) FROM " + direct))
                        .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            }
            assertThatThrownBy(() -> st.executeUpdate("UPDATE workspace_readers SET workspace_id = 'globex'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM log_events"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
        // The job's role (the owner) is not restricted.
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(ACME + GLOBEX + 1);
    }

    @Test
    void grantIsIdempotentAndRefusesAnUnknownWorkspaceASecondWorkspaceAndAnUnrestrictedRole() {
        assertThat(grant("acme", "acme_reader").exitCode).isZero();
        Result unknown = grant("initech", "initech_reader");
        assertThat(unknown.exitCode).isEqualTo(1);
        assertThat(unknown.err).contains("unknown workspace id 'initech'");
        Result second = grant("globex", "acme_reader");
        assertThat(second.exitCode).isEqualTo(1);
        assertThat(second.err).contains("already reads workspace 'acme'");
        Result owner = grant("acme", "postgres");
        assertThat(owner.exitCode).isEqualTo(1);
        assertThat(owner.err).contains("not restricted by row-level security");
        Result badName = grant("acme", "Robert'); DROP TABLE log_events;--");
        assertThat(badName.exitCode).isEqualTo(1);
        Result noRole = run("grant", "acme", "--postgres.url", db.url);
        assertThat(noRole.exitCode).isEqualTo(2);
    }

    @Test
    void aReaderOfEveryWorkspaceSeesAllRowsAndWritesNothing() throws Exception {
        Result granted = run("grant", "--all", "--role", "every_reader", "--postgres.url", db.url,
                "--postgres.user", db.user);
        assertThat(granted.exitCode).as(granted.err).isZero();
        assertThat(granted.out).contains("reads every workspace's rows");
        Map<String, Long> all = new LinkedHashMap<>();
        for (String table : TenantReaders.TABLES) {
            all.put(table, PostgresExtension.count(db, "SELECT count(*) FROM " + table));
        }
        assertThat(all.get("log_events")).isEqualTo(ACME + GLOBEX + 1);
        assertThat(counts("every_reader")).isEqualTo(all);
        try (Connection c = connectAs("every_reader"); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeUpdate("DELETE FROM log_events"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
            assertThatThrownBy(() -> st.executeUpdate("INSERT INTO workspace_readers VALUES ('x', 'acme')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
        }
        assertThat(run("grant", "--all", "--role", "every_reader", "--postgres.url", db.url).exitCode).isZero();
        Result bound = run("grant", "--all", "--role", "acme_reader", "--postgres.url", db.url);
        assertThat(bound.exitCode).isEqualTo(1);
        assertThat(bound.err).contains("already reads workspace 'acme' only");
        Result owner = run("grant", "--all", "--role", "postgres", "--postgres.url", db.url);
        assertThat(owner.exitCode).isEqualTo(1);
        assertThat(owner.err).contains("can write");
        Result tenant = grant("acme", "every_reader");
        assertThat(tenant.exitCode).isEqualTo(1);
        assertThat(tenant.err).contains("not restricted by row-level security");
    }

    private static Map<String, Long> counts(String role) throws SQLException {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = connectAs(role); Statement st = c.createStatement()) {
            for (String table : TenantReaders.TABLES) {
                out.put(table, one(st, "SELECT count(*) FROM " + table));
            }
        }
        return out;
    }

    private static long one(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static Connection connectAs(String role) throws SQLException {
        return DriverManager.getConnection(db.url, role, PASSWORD);
    }

    private static Result grant(String workspace, String role) {
        return run("grant", workspace, "--role", role, "--postgres.url", db.url, "--postgres.user", db.user);
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WorkspaceCommands.run(args, Map.of("LOGFLOW_READER_PASSWORD", PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static final class Result {
        final int exitCode;
        final String out;
        final String err;

        Result(int exitCode, String out, String err) {
            this.exitCode = exitCode;
            this.err = err;
            this.out = out;
        }
    }
}
