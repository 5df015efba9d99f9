package io.logflow.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.sql.AnalystData.Line;
import io.logflow.sql.ImpliedMetrics.Counts;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.logflow.sql.ExpectedRows.assertRows;
import static io.logflow.sql.ExpectedRows.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every panel of every dashboard in {@code deploy/grafana/dashboards}: its SQL with the workspace variable and
 * Grafana's macros expanded ({@link GrafanaMacros}) runs against the real schema holding what the job stored for
 * {@link AnalystData}, and returns the rows that input implies, for workspace acme (beta's rows must not show).
 */
class GrafanaDashboardsTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    static final Path DASHBOARDS = Path.of("..", "deploy", "grafana", "dashboards");
    static final Path DATASOURCES = Path.of("..", "deploy", "grafana", "provisioning", "datasources");
    private static final Instant FROM = Instant.parse(AnalystData.SUNDAY + "T00:00:00Z");
    /** Wide enough for the rows the job writes at wall-clock time (uploads, failures). */
    private static final Instant TO = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
    private static final Map<String, String> VARIABLES = Map.of("workspace", "'acme'", "__interval", "1m");
    private static AnalystDataset data;

    @BeforeAll
    static void runTheJob() throws Exception {
        data = AnalystDataset.shared(POSTGRES);
    }

    @TestFactory
    Stream<DynamicTest> everyPanelReturnsTheRowsItsInputImplies() throws Exception {
        Map<String, List<String>> expected = expectations();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonNode panel : panels(new ObjectMapper().readTree(file.toFile()))) {
                if (!isPostgres(panel)) {
                    continue; // the operations dashboard reads Prometheus: see prometheusPanelsReadTheJobsMetrics
                }
                String title = panel.path("title").asText();
                tests.add(DynamicTest.dynamicTest(file.getFileName() + ": " + title, () -> {
                    JsonNode target = panel.path("targets").get(0);
                    assertThat(panel.path("targets")).as(title + ": one query").hasSize(1);
                    List<String> columns = new ArrayList<>();
                    List<String> rows = query(GrafanaMacros.expand(target.path("rawSql").asText(), FROM, TO,
                            VARIABLES), columns);
                    if (target.path("format").asText().equals("time_series")) {
                        assertThat(columns.get(0)).as(title + ": a time series starts with its time").isEqualTo("time");
                    }
                    assertThat(expected).as("expectations for panel " + title).containsKey(title);
                    assertRows(title, rows, expected.get(title));
                }));
            }
        }
        return tests.stream();
    }

    @Test
    void panelsAndVariablesUseTheProvisionedDataSource() throws Exception {
        String postgres = provisionedUid("logflow-postgres.yaml");
        String prometheus = provisionedUid("logflow-prometheus.yaml");
        for (Path file : dashboards()) {
            JsonNode dashboard = new ObjectMapper().readTree(file.toFile());
            List<JsonNode> users = new ArrayList<>(panels(dashboard));
            dashboard.path("templating").path("list").forEach(users::add);
            assertThat(users).isNotEmpty();
            for (JsonNode user : users) {
                assertThat(user.path("datasource").path("uid").asText()).as(file + " " + user.path("title"))
                        .isIn(postgres, prometheus);
            }
        }
    }

    /**
     * The Prometheus panels query metrics the job registers (source and operator metrics under the operator scope)
     * or Flink's own job metrics, with the names the Prometheus reporter gives them.
     */
    @Test
    void prometheusPanelsReadTheJobsMetrics() throws Exception {
        Pattern metric = Pattern.compile("flink_[A-Za-z_]+");
        List<String> names = new ArrayList<>();
        for (Path file : dashboards()) {
            for (JsonNode panel : panels(new ObjectMapper().readTree(file.toFile()))) {
                if (!isPostgres(panel)) {
                    Matcher m = metric.matcher(panel.path("targets").get(0).path("expr").asText());
                    assertThat(m.find()).as(panel.path("title").asText()).isTrue();
                    names.add(m.group());
                }
            }
        }
        assertThat(names).contains(
                "flink_taskmanager_job_task_operator_kinesis_shard_millisBehindLatest",
                "flink_taskmanager_job_task_operator_kinesis_shard_getRecordsCalls",
                "flink_jobmanager_job_numRestarts");
    }

    private static boolean isPostgres(JsonNode panel) {
        return panel.path("datasource").path("type").asText().equals("grafana-postgresql-datasource");
    }

    private static String provisionedUid(String file) throws Exception {
        Matcher uid = Pattern.compile("(?m)^\\s+uid: (\\S+)$").matcher(Files.readString(DATASOURCES.resolve(file)));
        assertThat(uid.find()).as(file).isTrue();
        return uid.group(1);
    }

    @Test
    void workspaceVariableListsTheRegisteredWorkspaces() throws Exception {
        for (Path file : dashboards()) {
            JsonNode variables = new ObjectMapper().readTree(file.toFile()).path("templating").path("list");
            if (variables.isEmpty()) {
                continue; // the operations dashboard is the operator's, across workspaces
            }
            JsonNode variable = variables.get(0);
            assertThat(variable.path("name").asText()).isEqualTo("workspace");
            assertThat(variable.path("multi").asBoolean() && variable.path("includeAll").asBoolean()).isTrue();
            assertThat(query(variable.path("query").asText(), new ArrayList<>())).containsExactly("acme", "beta");
        }
    }

    private static List<Path> dashboards() throws Exception {
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    /** Panels, also those inside collapsed rows. */
    private static List<JsonNode> panels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            if (p.path("type").asText().equals("row")) {
                p.path("panels").forEach(out::add);
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> query(String sql, List<String> columns) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = PostgresExtension.connect(data.db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnLabel(i));
            }
            while (rs.next()) {
                Object[] cells = new Object[meta.getColumnCount()];
                for (int i = 1; i <= cells.length; i++) {
                    String type = meta.getColumnTypeName(i);
                    cells[i - 1] = type.equals("timestamptz") ? rs.getObject(i, OffsetDateTime.class)
                            : type.equals("timestamp") ? rs.getObject(i, LocalDateTime.class) : rs.getObject(i);
                }
                rows.add(row(cells));
            }
        } catch (Exception e) {
            throw new AssertionError(sql, e);
        }
        return rows;
    }

    /** Panel title to its rows for workspace acme, worked out from the input. */
    private static Map<String, List<String>> expectations() {
        Map<String, List<String>> e = new LinkedHashMap<>();
        List<Counts> minutes = ImpliedMetrics.perMinute().stream().filter(m -> m.workspace().equals("acme")).toList();
        e.put("Events by level", perKey(minutes, m -> epoch(m.windowStart()) + " | " + m.level(),
                g -> List.of(sum(g, Counts::events))));
        e.put("Error rate", perKey(minutes, m -> epoch(m.windowStart()), g -> List.of(
                (double) sum(g, Counts::errors) / sum(g, Counts::events),
                (double) sum(g, Counts::warnings) / sum(g, Counts::events))));
        e.put("Duration percentiles", perKey(ImpliedMetrics.latencyPerMinute().stream()
                .filter(m -> m.workspace().equals("acme")).toList(), m -> epoch(m.windowStart()), g -> {
                    double events = g.stream().mapToLong(ImpliedMetrics.Latency::events).sum();
                    return List.of("~" + g.stream().mapToDouble(m -> m.p50() * m.events()).sum() / events,
                            "~" + g.stream().mapToDouble(m -> m.p90() * m.events()).sum() / events,
                            "~" + g.stream().mapToDouble(m -> m.p99() * m.events()).sum() / events,
                            g.stream().mapToDouble(ImpliedMetrics.Latency::max).max().orElseThrow());
                }));
        e.put("Requests and failed requests", perKey(ImpliedMetrics.requestsPerMinute().stream()
                .filter(r -> r.workspace().equals("acme")).toList(), r -> epoch(r.windowStart()), g -> List.of(
                        g.stream().mapToLong(ImpliedMetrics.Requests::requests).sum(),
                        g.stream().mapToLong(ImpliedMetrics.Requests::failed).sum(),
                        g.stream().mapToLong(ImpliedMetrics.Requests::timedOut).sum())));
        e.put("Top message templates", topTemplates());
        e.put("Failed requests", ImpliedMetrics.failedRequests().stream().filter(r -> r.workspace().equals("acme"))
                .sorted(Comparator.comparing(ImpliedMetrics.FailedRequest::startedAt).reversed())
                .map(r -> row(r.startedAt(), r.workspace(), r.service(), r.requestId(), r.reason(), r.events(),
                        r.firstMessage(), r.errorMessage()))
                .toList());
        // Before enrichment, and for an unknown tenant, a failure has no workspace: shown for every selection.
        e.put("Dead letters by reason", List.of(
                row("ENRICH", "unknown_workspace", AnalystData.UNCLAIMED.size(), AnalystData.UNCLAIMED.size()),
                row("PARSE", "invalid_json", 1, 1),
                row("SOURCE", "truncated_file", 1, 1)));
        long doneFiles = AnalystData.LINES.stream().map(Line::file).distinct().count() + 1 /* unclaimed */;
        long doneLines = AnalystData.LINES.size() + 1 /* broken */ + AnalystData.UNCLAIMED.size();
        long doneEvents = AnalystData.LINES.size() + AnalystData.UNCLAIMED.size(); // enrichment fails come later
        e.put("Uploads by status", List.of(
                row("DONE", doneFiles, doneLines, doneEvents, 1),
                row("FAILED", 1, 1, 0, 1),
                row("PROCESSING", 1, 2, 2, 0)));
        String uploads = "file:" + data.root.resolve("uploads").toAbsolutePath() + "/";
        e.put("Uploads failed or stuck", List.of(
                row("*", uploads + AnalystData.CUT_FILE, "FAILED", "truncated_file", 1, 0, 1),
                row("*", AnalystDataset.STUCK_UPLOAD, "PROCESSING", null, 2, 2, 0)));
        return e;
    }

    private static List<String> topTemplates() {
        Map<String, List<ImpliedMetrics.Template>> byTemplate = new TreeMap<>();
        ImpliedMetrics.templatesPerHour().stream().filter(t -> t.workspace().equals("acme"))
                .forEach(t -> byTemplate.computeIfAbsent(t.template(), k -> new ArrayList<>()).add(t));
        return byTemplate.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, List<ImpliedMetrics.Template>>>comparingLong(
                        en -> -en.getValue().stream().mapToLong(ImpliedMetrics.Template::events).sum())
                        .thenComparing(Map.Entry::getKey))
                .limit(20)
                .map(en -> row(en.getKey(), en.getValue().stream().mapToLong(ImpliedMetrics.Template::events).sum(),
                        en.getValue().stream().map(ImpliedMetrics.Template::sampleMessage)
                                .min(Comparator.naturalOrder()).orElseThrow()))
                .toList();
    }

    private static String epoch(Instant t) {
        return Long.toString(t.getEpochSecond());
    }

    private static long sum(List<Counts> g, java.util.function.ToLongFunction<Counts> f) {
        return g.stream().mapToLong(f).sum();
    }

    /** Rows grouped by a text key (sorted as text, as the keys here are fixed-width), key cells first. */
    private static <T> List<String> perKey(List<T> items, Function<T, String> key, Function<List<T>, List<?>> agg) {
        Map<String, List<T>> groups = new TreeMap<>();
        items.forEach(i -> groups.computeIfAbsent(key.apply(i), k -> new ArrayList<>()).add(i));
        List<String> out = new ArrayList<>();
        groups.forEach((k, g) -> {
            List<Object> cells = new ArrayList<>(List.of(k));
            cells.addAll(agg.apply(g));
            out.add(row(cells.toArray()));
        });
        return out;
    }
}
