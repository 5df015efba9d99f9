package io.logflow.sql;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.app.WorkspaceCommands;
import io.logflow.cluster.FlinkSessionCluster;
import io.logflow.cluster.GatewaySession;
import io.logflow.cluster.SqlGatewayServer;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.logflow.sql.ExpectedRows.assertRows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The analysts' way in: a SQL Gateway process in front of the Flink session cluster, a session opened through its
 * REST API and initialised with what {@code logflow catalog} prints (ADD JAR of the job jar, the functions, the
 * tables) for a read-only role made by
 * {@code workspace grant --all}, then every query of {@code sql/queries/} run as a batch job on the cluster against
 * what the real job stored ({@link AnalystDataset}): the rows must be those {@link AnalystQueriesTest} expects. A
 * tenant's role sees its workspace only; a wrong password and an unknown table come back as errors that say so.
 * Alone: {@code mvn -B -pl jobs -am verify -Dit.test=SqlGatewayIT -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class SqlGatewayIT {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final FlinkSessionCluster FLINK = new FlinkSessionCluster();
    @RegisterExtension static final SqlGatewayServer GATEWAY = new SqlGatewayServer();

    /** Reader roles are server-wide: names of this class's own. */
    private static final String ANALYSTS = "gateway_analysts";
    private static final String ACME_ANALYST = "gateway_acme_analyst";
    private static final String PASSWORD = "analyst-s3cret";

    private static AnalystDataset data;
    private static GatewaySession analysts;

    @BeforeAll
    static void runTheJobAndOpenAnAnalystsSession() throws Exception {
        data = AnalystDataset.shared(POSTGRES);
        grant("--all", ANALYSTS);
        grant("acme", ACME_ANALYST);
        requirePasswordsOf(ANALYSTS, ACME_ANALYST);
        analysts = session("analysts", ANALYSTS, PASSWORD);
    }

    @AfterAll
    static void closeTheSession() throws Exception {
        if (analysts != null) {
            analysts.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCookbookQueryReturnsThroughTheGatewayTheRowsItsInputImplies() throws Exception {
        Map<String, List<String>> expected = AnalystQueriesTest.expectations(data);
        return AnalystQueriesTest.queryFiles().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
                () -> {
                    String name = file.getFileName().toString();
                    List<String> statements = AnalystCatalog.statements(Files.readString(file));
                    assertThat(statements).as("one query per file").hasSize(1);
                    assertRows(name, rows(analysts.execute(statements.get(0))), expected.get(name));
                }));
    }

    @Test
    void aTenantsRoleSeesOnlyItsWorkspaceThroughTheSameCatalog() throws Exception {
        try (GatewaySession acme = session("acme", ACME_ANALYST, PASSWORD)) {
            assertThat(rows(acme.execute("SELECT DISTINCT workspace_id FROM log_events"))).containsExactly("acme");
            assertThat(rows(acme.execute("SELECT id FROM workspaces"))).containsExactly("acme");
        }
    }

    @Test
    void aWrongPasswordTellsTheAnalystSo() throws Exception {
        try (GatewaySession wrong = session("wrong-password", ACME_ANALYST, "not-the-password")) {
            assertThatThrownBy(() -> wrong.execute("SELECT count(*) FROM log_events"))
                    .isInstanceOf(GatewaySession.StatementFailed.class)
                    .hasMessageContaining("password authentication failed for user \"" + ACME_ANALYST + "\"");
        }
    }

    @Test
    void anUnknownTableTellsTheAnalystWhichOne() {
        assertThatThrownBy(() -> analysts.execute("SELECT count(*) FROM log_event"))
                .isInstanceOf(GatewaySession.StatementFailed.class)
                .hasMessageContaining("Object 'log_event' not found");
    }

    /**
     * What an analyst types: {@code sql-client.sh gateway --endpoint URL -i <(logflow catalog ...)}, here with a
     * cookbook file as {@code -f}: the client reads the init script from a pipe and prints the query's rows (it
     * exits with 0 after a failed statement too, so the rows are what counts).
     */
    @Test
    void theSqlClientInGatewayModeTakesTheCatalogFromAPipeAndRunsACookbookFile() throws Exception {
        Path query = AnalystQueriesTest.queryFiles().filter(f -> f.endsWith("workspace_activity.sql")).findFirst()
                .orElseThrow().toAbsolutePath();
        // A script (-f) prints its rows only as a table in the text (tableau) mode; interactively any mode does.
        List<String> client = SqlGatewayServer.sqlClient("-i", "<(printf '%s' \"$LOGFLOW_TEST_CATALOG\")", "-f",
                "<(echo \"SET 'sql-client.execution.result-mode' = 'tableau';\"; cat '" + query + "')");
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", "exec " + String.join(" ", client.stream()
                .map(a -> a.startsWith("<(") ? a : "'" + a + "'").toList())).redirectErrorStream(true);
        bash.environment().put("FLINK_CONF_DIR", SqlGatewayServer.confDir().toString());
        bash.environment().put("LOGFLOW_TEST_CATALOG", AnalystCatalog.script(data, ANALYSTS, PASSWORD,
                "--catalog.jar", SqlGatewayServer.jobJar()));
        Process process = bash.start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).as(out).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(SqlGatewayServer.logs()).as("the gateway's and the client's logs keep no password")
                .isNotEmpty().doesNotContain(PASSWORD);
        for (String row : AnalystQueriesTest.expectations(data).get("workspace_activity.sql")) {
            String[] cells = row.split(" \\| ");
            // The client prints a table: | acme | ACME | [acme/] | 12 | 2 | 2026-11-02 10:00:00.000 |
            assertThat(out.lines()).as(out).anyMatch(line -> line.matches("\\|\\s+" + cells[0] + "\\s+\\|\\s+"
                    + cells[1] + "\\s+\\|.*\\|\\s+" + cells[3] + "\\s+\\|\\s+" + cells[4] + "\\s+\\|.*"));
        }
    }

    /** A session that ran the init script of {@code role}, statement by statement, as the SQL client's -i does. */
    private static GatewaySession session(String name, String role, String password) throws Exception {
        GatewaySession session = GatewaySession.open(SqlGatewayServer.endpoint(), name);
        String script = AnalystCatalog.script(data, role, password, "--catalog.jar", SqlGatewayServer.jobJar());
        for (String statement : AnalystCatalog.statements(script)) {
            session.execute(statement);
        }
        return session;
    }

    /** Rows as {@link ExpectedRows} text, each JSON field read by its column's type. */
    private static List<String> rows(GatewaySession.Result result) {
        List<String> out = new ArrayList<>();
        for (List<JsonNode> row : result.rows()) {
            Object[] cells = new Object[row.size()];
            for (int i = 0; i < cells.length; i++) {
                cells[i] = cell(result.types().get(i), row.get(i));
            }
            out.add(ExpectedRows.row(cells));
        }
        return out;
    }

    private static Object cell(String type, JsonNode field) {
        if (field == null || field.isNull()) {
            return null;
        } else if (type.startsWith("TIMESTAMP")) {
            return LocalDateTime.parse(field.asText().replace(' ', 'T').replace("Z", ""));
        } else if (type.equals("DOUBLE") || type.equals("FLOAT")) {
            return field.asDouble();
        } else if (type.equals("DECIMAL")) {
            return field.decimalValue();
        } else if (field.isArray()) {
            List<String> items = new ArrayList<>();
            field.forEach(item -> items.add(item.asText()));
            return items.toArray();
        }
        return field.asText();
    }

    private static void grant(String workspaceOrAll, String role) {
        List<String> args = new ArrayList<>(List.of("grant"));
        args.add(workspaceOrAll);
        args.addAll(List.of("--role", role, "--postgres.url", data.db.url, "--postgres.user", data.db.user));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = WorkspaceCommands.run(args.toArray(new String[0]), Map.of("LOGFLOW_READER_PASSWORD", PASSWORD),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    }

    /**
     * The embedded server trusts every local connection; these roles must log in with their password, as on a real
     * server (a line of their own, first in pg_hba.conf, so the other tests' connections are unchanged).
     */
    private static void requirePasswordsOf(String... roles) throws Exception {
        try (Connection c = PostgresExtension.connect(data.db); Statement st = c.createStatement()) {
            Path hba;
            try (ResultSet rs = st.executeQuery("SHOW hba_file")) {
                rs.next();
                hba = Path.of(rs.getString(1));
            }
            StringBuilder lines = new StringBuilder();
            for (String role : roles) {
                lines.append("host all ").append(role).append(" 127.0.0.1/32 scram-sha-256\n");
            }
            Files.writeString(hba, lines + Files.readString(hba));
            st.execute("SELECT pg_reload_conf()");
        }
    }
}
