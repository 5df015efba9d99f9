package io.logflow.sql;

import io.logflow.sql.AnalystData.Line;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.logflow.sql.ExpectedRows.assertRows;
import static io.logflow.sql.ExpectedRows.cell;
import static io.logflow.sql.ExpectedRows.row;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every query in {@code sql/queries/} run through a TableEnvironment after {@code sql/flink/catalog.sql}, against what
 * the real job stored for {@link AnalystData}: its rows must be the ones the input implies, in order. Expected cells
 * starting with {@code ~} are approximate percentiles (within 1%); a {@code *} cell is a wall-clock time.
 */
class AnalystQueriesTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();

    private static final Instant MONDAY = Instant.parse(AnalystData.MONDAY + "T00:00:00Z");
    private static final Instant TUESDAY = MONDAY.plusSeconds(86_400);
    private static final Instant NINE = MONDAY.plusSeconds(9 * 3600);

    private static AnalystDataset data;
    private static TableEnvironment tEnv;

    @BeforeAll
    static void runTheJobAndLoadTheCatalog() throws Exception {
        data = AnalystDataset.shared(POSTGRES);
        tEnv = AnalystCatalog.open(data);
    }

    @TestFactory
    Stream<DynamicTest> everyQueryReturnsTheRowsItsInputImplies() throws Exception {
        Map<String, List<String>> expected = expectations(data);
        return queryFiles().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            String name = file.getFileName().toString();
            List<String> statements = AnalystCatalog.statements(Files.readString(file));
            assertThat(statements).as("one query per file").hasSize(1);
            List<String> rows = AnalystCatalog.query(tEnv, statements.get(0));
            assertRows(name, rows, expected.get(name));
        }));
    }

    @Test
    void everyQueryFileHasExpectationsAndStartsWithItsQuestion() throws Exception {
        List<String> names = queryFiles().map(f -> f.getFileName().toString()).toList();
        assertThat(names).containsExactlyInAnyOrderElementsOf(expectations(data).keySet());
        for (Path f : queryFiles().toList()) {
            assertThat(Files.readString(f)).as(f.toString()).startsWith("-- ").contains("?");
        }
    }

    /** APPROX_PERCENTILE, LOG_TEMPLATE and PARSE_LOG also serve queries in sql/queries/. */
    @Test
    void catalogRegistersEveryFunction() {
        assertThat(AnalystCatalog.query(tEnv, "SELECT LOG_LEVEL('warning'), REDACT('password=hunter2'), "
                + "PARSE_TS('2026-11-02T09:00:00Z'), LOG_TEMPLATE('user 17 logged in').template, "
                + "PARSE_LOG('{\"level\":\"error\",\"msg\":\"x\"}').level")).containsExactly(
                "WARN | password=[REDACTED] | 2026-11-02 09:00:00 | user <NUM> logged in | ERROR");
    }

    /** The expected templates (the miner's texts after all of a workspace's lines) do not depend on the lines' order. */
    @Test
    void inputTemplatesDoNotDependOnTheOrderTheMinerSeesThem() {
        for (String workspace : List.of("acme", "beta")) {
            List<String> messages = AnalystData.LINES.stream().filter(l -> l.workspace().equals(workspace))
                    .map(Line::message).toList();
            List<String> reversed = new ArrayList<>(messages);
            java.util.Collections.reverse(reversed);
            io.logflow.parse.template.TemplateMiner backwards = ImpliedMetrics.trained(reversed);
            for (String m : messages) {
                assertThat(backwards.add(m, 0).text).as(m).isEqualTo(ImpliedMetrics.template(workspace, m));
            }
        }
    }

    static Stream<Path> queryFiles() throws Exception {
        try (Stream<Path> files = Files.list(AnalystCatalog.QUERIES)) {
            return files.filter(f -> f.toString().endsWith(".sql")).sorted().toList().stream();
        }
    }

    /**
     * File name to its rows, each worked out from {@link AnalystData} (and {@link ImpliedMetrics} for metrics_*), as
     * the job stored them in {@code data}; {@code SqlGatewayIT} checks the same rows through the SQL Gateway.
     */
    static Map<String, List<String>> expectations(AnalystDataset data) {
        Map<String, List<String>> e = new TreeMap<>();
        e.put("errors_in_a_time_range.sql", rows(
                lines(l -> l.workspace().equals("acme") && l.isError() && in(l.time(), NINE, NINE.plusSeconds(3600)))
                        .sorted(Comparator.comparing(Line::time).reversed()),
                l -> row(l.time(), l.level(), l.service(), l.message(), l.requestId())));
        e.put("events_of_a_trace.sql", rows(
                lines(l -> l.workspace().equals("acme") && "t2".equals(l.traceId())),
                l -> row(l.time(), l.service(), l.level(), l.message(), l.requestId())));
        e.put("events_matching_service_level_text_and_time.sql", rows(
                lines(l -> l.workspace().equals("acme") && l.service().equals("api") && l.level().equals("INFO")
                        && l.message().contains("started") && in(l.time(), NINE, NINE.plusSeconds(90))),
                l -> row(l.time(), l.requestId(), l.message())));
        e.put("events_by_level_and_service.sql", grouped(lines(l -> in(l.time(), MONDAY, TUESDAY)),
                l -> List.of(l.workspace(), l.service(), l.level()),
                g -> List.of(g.size(), g.stream().mapToLong(x -> x.message().length()).sum())));
        e.put("daily_event_counts.sql", grouped(ImpliedMetrics.perDay().stream(),
                m -> List.of(cell(m.windowStart()), m.workspace()), ImpliedMetricsSums::counts));
        e.put("weekly_event_counts.sql", grouped(ImpliedMetrics.perWeek().stream(),
                m -> List.of(cell(m.windowStart()), m.workspace(), m.service()), ImpliedMetricsSums::counts));
        e.put("top_templates_per_hour.sql", ImpliedMetrics.templatesPerHour().stream()
                .filter(t -> t.workspace().equals("acme"))
                .map(t -> row(t.windowStart(), t.rank(), t.template(), t.events(), t.sampleMessage())).toList());
        e.put("top_error_templates.sql", errorTemplates());
        e.put("templates_of_a_workspace.sql", workspaceTemplates("acme"));
        e.put("duration_percentiles_by_service.sql", grouped(
                lines(l -> l.durationMs() != null && in(l.time(), MONDAY, TUESDAY)),
                l -> List.of(l.workspace(), l.service()), g -> {
                    List<Double> d = g.stream().map(Line::durationMs).sorted().toList();
                    return List.of(g.size(), "~" + ImpliedMetrics.percentile(d, 0.5),
                            "~" + ImpliedMetrics.percentile(d, 0.9), cell(d.get(d.size() - 1)));
                }));
        e.put("slowest_minutes.sql", ImpliedMetrics.latencyPerMinute().stream()
                .filter(m -> m.workspace().equals("acme"))
                .sorted(Comparator.comparingDouble(ImpliedMetrics.Latency::p90).reversed()
                        .thenComparing(ImpliedMetrics.Latency::windowStart)
                        .thenComparing(ImpliedMetrics.Latency::service))
                .limit(10)
                .map(m -> row(m.windowStart(), m.service(), m.events(), m.avg(), "~" + m.p50(), "~" + m.p90(),
                        m.max()))
                .toList());
        e.put("failed_requests.sql", ImpliedMetrics.failedRequests().stream()
                .filter(r -> in(r.startedAt(), MONDAY, TUESDAY))
                .sorted(Comparator.comparing(ImpliedMetrics.FailedRequest::startedAt)
                        .thenComparing(ImpliedMetrics.FailedRequest::workspace)
                        .thenComparing(ImpliedMetrics.FailedRequest::requestId))
                .map(r -> row(r.startedAt(), r.workspace(), r.service(), r.requestId(), r.reason(), r.events(),
                        r.firstMessage(), r.errorMessage()))
                .toList());
        e.put("failed_request_share_per_minute.sql", ImpliedMetrics.requestsPerMinute().stream()
                .map(r -> row(r.windowStart(), r.workspace(), r.service(), r.requests(), r.failed(), r.timedOut(),
                        (double) r.failed() / r.requests()))
                .toList());
        String uploads = "file:" + data.root.resolve("uploads").toAbsolutePath() + "/";
        e.put("uploads_stuck_or_failed.sql", List.of(
                row(uploads + AnalystData.CUT_FILE, "FAILED", "truncated_file", 1, 0, 1, "*"),
                row(AnalystDataset.STUCK_UPLOAD, "PROCESSING", null, 2, 2, 0, "*")));
        String brokenLineRef = uploads + "acme/api/2026/11/02/api.log#L4";
        String unclaimedRef = uploads + AnalystData.UNCLAIMED_FILE + "#L1";
        String cutRef = uploads + AnalystData.CUT_FILE + "#L1"; // the cut comes where the first line would be
        e.put("failures_by_reason.sql", List.of(
                row("ENRICH", "unknown_workspace", AnalystData.UNCLAIMED.size(), AnalystData.UNCLAIMED.size(),
                        unclaimedRef),
                row("PARSE", "invalid_json", 1, 1, brokenLineRef),
                row("SOURCE", "truncated_file", 1, 1, cutRef)));
        e.put("dead_letters_by_reason.sql", List.of(
                row("unknown_workspace", AnalystData.UNCLAIMED.size(), unclaimedRef, "+"),
                row("invalid_json", 1, brokenLineRef, "+"),
                row("truncated_file", 1, cutRef, "+")));
        e.put("unparsed_lines_parsed_again.sql", List.of(row("invalid_json", brokenLineRef, null, "invalid_json")));
        e.put("workspace_activity.sql", List.of(activity("acme", "ACME"), activity("beta", "Beta")));
        return e;
    }

    private static String activity(String workspace, String name) {
        List<Line> mine = lines(l -> l.workspace().equals(workspace)).toList();
        return row(workspace, name, "[" + workspace + "/]", mine.size(), mine.stream().filter(Line::isError).count(),
                mine.stream().map(Line::time).max(Comparator.naturalOrder()).orElseThrow());
    }

    /** log_templates at the end of the run: every line of the workspace counted, with its first and last time. */
    private static List<String> workspaceTemplates(String workspace) {
        Map<String, List<Line>> groups = lines(l -> l.workspace().equals(workspace))
                .collect(Collectors.groupingBy(l -> ImpliedMetrics.template(workspace, l.message())));
        return groups.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, List<Line>>>comparingInt(g -> -g.getValue().size())
                        .thenComparing(Map.Entry::getKey))
                .map(g -> row(g.getKey(), g.getValue().size(),
                        g.getValue().stream().map(Line::time).min(Comparator.naturalOrder()).orElseThrow(),
                        g.getValue().stream().map(Line::time).max(Comparator.naturalOrder()).orElseThrow()))
                .toList();
    }

    private static List<String> errorTemplates() {
        Map<List<String>, List<Line>> groups = lines(Line::isError).collect(Collectors.groupingBy(
                l -> List.of(l.workspace(), ImpliedMetrics.template(l.workspace(), l.message()))));
        return groups.entrySet().stream()
                .sorted(Comparator.<Map.Entry<List<String>, List<Line>>>comparingInt(g -> -g.getValue().size())
                        .thenComparing(g -> g.getKey().get(0)).thenComparing(g -> g.getKey().get(1)))
                .map(g -> row(g.getKey().get(0), g.getKey().get(1), g.getValue().size(),
                        g.getValue().stream().map(Line::message).min(Comparator.naturalOrder()).orElseThrow()))
                .toList();
    }

    /** Sums of metrics_day/metrics_week rows: events, errors, warnings. */
    private static final class ImpliedMetricsSums {
        static List<Object> counts(List<ImpliedMetrics.Counts> g) {
            return List.of(g.stream().mapToLong(ImpliedMetrics.Counts::events).sum(),
                    g.stream().mapToLong(ImpliedMetrics.Counts::errors).sum(),
                    g.stream().mapToLong(ImpliedMetrics.Counts::warnings).sum());
        }
    }

    private static boolean in(Instant t, Instant from, Instant to) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    private static Stream<Line> lines(java.util.function.Predicate<Line> p) {
        return AnalystData.LINES.stream().filter(p).sorted(Comparator.comparing(Line::time));
    }

    private static <T> List<String> rows(Stream<T> items, Function<T, String> row) {
        return items.map(row).toList();
    }

    /** Groups in the order of their key's cells (as text), each a row of key cells then the aggregate's cells. */
    private static <T> List<String> grouped(Stream<T> items, Function<T, List<?>> key,
            Function<List<T>, List<?>> aggregate) {
        Map<String, List<T>> groups = new TreeMap<>();
        Map<String, List<?>> keys = new TreeMap<>();
        items.forEach(i -> {
            List<?> k = key.apply(i);
            String sortKey = k.stream().map(Objects::toString).collect(Collectors.joining("\u0000"));
            groups.computeIfAbsent(sortKey, s -> new ArrayList<>()).add(i);
            keys.put(sortKey, k);
        });
        List<String> out = new ArrayList<>();
        groups.forEach((k, g) -> {
            List<Object> cells = new ArrayList<>(keys.get(k));
            cells.addAll(aggregate.apply(g));
            out.add(row(cells.toArray()));
        });
        return out;
    }
}
