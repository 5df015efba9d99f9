package io.logflow.metrics;

import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.app.Main;
import io.logflow.parse.template.TemplateMiner;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The windowed metrics on a deterministic event-time input: uploads of two workspaces over a Sunday night and the
 * Monday after it, through the production wiring on a MiniCluster, into a real Postgres. Every expected row is
 * computed here from the events the test writes.
 */
class MetricsPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    /** One input line, as the job should see it. */
    record In(String workspace, String service, String level, Instant time, String message, Double durationMs,
              String requestId) {
        String json() {
            StringBuilder s = new StringBuilder("{\"timestamp\":\"").append(time).append("\",\"level\":\"")
                    .append(level.toLowerCase()).append("\",\"msg\":\"").append(message).append('"');
            if (durationMs != null) {
                s.append(",\"durationMs\":").append(durationMs);
            }
            if (requestId != null) {
                s.append(",\"requestId\":\"").append(requestId).append('"');
            }
            return s.append('}').toString();
        }

        Instant minute() {
            return time.truncatedTo(ChronoUnit.MINUTES);
        }
    }

    static final Instant SUNDAY_NIGHT = Instant.parse("2026-11-08T23:58:00Z");
    static final Instant MONDAY = Instant.parse("2026-11-09T00:00:00Z");
    static final List<In> INPUT = new ArrayList<>();
    static PostgresConfig db;
    static Path root;

    @BeforeAll
    static void runJobOnce(@TempDir Path folder) throws Exception {
        root = folder;
        // 200 timed requests in one minute: durations 1..200 ms, for the percentiles.
        for (int i = 0; i < 200; i++) {
            INPUT.add(new In("acme", "api", "INFO", SUNDAY_NIGHT.plusMillis(i * 250L),
                    "GET /orders took " + (i + 1) + " ms", (double) (i + 1), null));
        }
        // 22 templates with counts 22..1 in the same hour: the top 20 are kept, ranked by count.
        String[] words = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
                "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform",
                "victor"};
        for (int w = 0; w < words.length; w++) {
            for (int n = 0; n < words.length - w; n++) {
                String level = n % 5 == 0 ? "WARN" : "DEBUG";
                INPUT.add(new In("acme", "api", level, SUNDAY_NIGHT.plusSeconds(60 + n),
                        words[w] + " step " + n + " done", null, null));
            }
        }
        // Monday: errors in another day and ISO week, and three requests of the worker.
        INPUT.add(new In("acme", "api", "ERROR", MONDAY.plusSeconds(5), "payment 7 failed for café", null, null));
        INPUT.add(new In("acme", "api", "FATAL", MONDAY.plusSeconds(6), "out of memory", null, null));
        INPUT.add(new In("acme", "worker", "INFO", MONDAY.plusSeconds(10), "job r1 started", null, "r1"));
        INPUT.add(new In("acme", "worker", "INFO", MONDAY.plusSeconds(12), "job r1 done", 2000.0, "r1"));
        INPUT.add(new In("acme", "worker", "INFO", MONDAY.plusSeconds(20), "job r2 started", null, "r2"));
        INPUT.add(new In("acme", "worker", "ERROR", MONDAY.plusSeconds(21), "job r2 lost its lease", null, "r2"));
        INPUT.add(new In("acme", "worker", "INFO", MONDAY.plusSeconds(25), "job r2 done", 5000.0, "r2"));
        INPUT.add(new In("acme", "worker", "INFO", MONDAY.plusSeconds(70), "job r3 started", null, "r3"));
        INPUT.add(new In("acme", "worker", "WARN", MONDAY.plusSeconds(80), "job r3 is slow", null, "r3"));
        // Another tenant, same minute as acme's: its own rows and its own top templates.
        for (int i = 0; i < 3; i++) {
            INPUT.add(new In("globex", "web", "INFO", SUNDAY_NIGHT.plusSeconds(i), "globex ping " + i, null, null));
        }

        Map<String, List<In>> files = INPUT.stream().collect(Collectors.groupingBy(
                in -> in.workspace + "/" + in.service + "/" + in.time.atZone(ZoneOffset.UTC).toLocalDate()
                        .toString().replace('-', '/') + "/app.log", TreeMap::new, Collectors.toList()));
        for (Map.Entry<String, List<In>> file : files.entrySet()) {
            Path path = root.resolve("uploads").resolve(file.getKey());
            Files.createDirectories(path.getParent());
            Files.writeString(path, file.getValue().stream().map(In::json).collect(Collectors.joining("\n", "", "\n")));
        }
        Files.writeString(root.resolve("registrations.ndjson"),
                "{\"id\":\"acme\",\"name\":\"ACME\",\"uploadPrefixes\":[\"acme/\"]}\n"
                        + "{\"id\":\"globex\",\"name\":\"Globex\",\"uploadPrefixes\":[\"globex/\"]}\n");

        db = POSTGRES.freshDatabase();
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(
                "--uploads.path", root.resolve("uploads").toUri().toString(),
                "--workspaces.file", root.resolve("registrations.ndjson").toUri().toString(),
                // Files are read in parallel, in any order: nothing here may count as late.
                "--metrics.out-of-orderness", "30 d",
                // No wall-clock watermark for a subtask that waits (a slow start): the input's end closes the windows.
                "--metrics.idle-timeout", "1 h",
                "--requests.timeout", "2 min",
                "--job.parallelism", "2",
                "--job.checkpoint-interval", "1 s"));
        LogflowJob.fromConfig(JobConfig.load(args.toArray(new String[0]), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(INPUT.size());
    }

    @Test
    void minuteVolumeIsCountedPerWorkspaceServiceAndLevel() throws Exception {
        Map<String, String> expected = volume(in -> in.minute());
        assertThat(rows("SELECT window_start, window_end, workspace_id, service, level, events, bytes, errors, warnings"
                + " FROM metrics_minute")).isEqualTo(withEnd(expected, 60));
    }

    @Test
    void dayAndIsoWeekRollUpsStartAtMidnightAndOnMonday() throws Exception {
        Map<String, String> days = volume(in -> in.time.truncatedTo(ChronoUnit.DAYS));
        assertThat(rows("SELECT window_start, window_end, workspace_id, service, level, events, bytes, errors, warnings"
                + " FROM metrics_day")).isEqualTo(withEnd(days, 86_400));

        Map<String, String> weeks = volume(in -> in.time.atZone(ZoneOffset.UTC).toLocalDate()
                .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).atStartOfDay(ZoneOffset.UTC).toInstant());
        Map<String, String> actualWeeks = rows("SELECT window_start, window_end, workspace_id, service, level, events,"
                + " bytes, errors, warnings FROM metrics_week");
        assertThat(actualWeeks).isEqualTo(withEnd(weeks, 7 * 86_400));
        // Sunday night and Monday morning fall in two weeks, the second starting on Monday the 9th.
        assertThat(actualWeeks.keySet()).anyMatch(k -> k.startsWith("2026-11-02T00:00:00Z|"))
                .anyMatch(k -> k.startsWith("2026-11-09T00:00:00Z|"));
    }

    @Test
    void latencyPercentilesAreWithinTheSketchError() throws Exception {
        List<Double> durations = INPUT.stream()
                .filter(in -> in.durationMs != null && in.service.equals("api"))
                .map(In::durationMs).sorted().collect(Collectors.toList());
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT events, duration_avg_ms, duration_max_ms, duration_p50_ms,"
                     + " duration_p90_ms, duration_p99_ms FROM metrics_latency_minute"
                     + " WHERE workspace_id = 'acme' AND service = 'api'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getLong(1)).isEqualTo(durations.size());
            assertThat(rs.getDouble(2)).isCloseTo(
                    durations.stream().mapToDouble(Double::doubleValue).average().orElseThrow(), within(1e-9));
            assertThat(rs.getDouble(3)).isEqualTo(durations.get(durations.size() - 1));
            assertWithinSketchError(rs.getDouble(4), durations, 0.5);
            assertWithinSketchError(rs.getDouble(5), durations, 0.9);
            assertWithinSketchError(rs.getDouble(6), durations, 0.99);
            assertThat(rs.next()).isFalse();
        }
        // The worker's two completed requests carry durations too, in their own minute and service.
        assertThat(PostgresExtension.count(db,
                "SELECT events FROM metrics_latency_minute WHERE service = 'worker'")).isEqualTo(2);
    }

    @Test
    void failedRequestsAreFoundAndCountedInTheMinuteTheyStarted() throws Exception {
        assertThat(rows("SELECT workspace_id, request_id, started_at, service, reason, first_message, error_message,"
                + " events, duration_ms FROM failed_requests")).containsOnlyKeys(
                "acme|r2|" + MONDAY.plusSeconds(20) + "|worker|error|job r2 started|job r2 lost its lease|3|5000.0",
                "acme|r3|" + MONDAY.plusSeconds(70) + "|worker|timeout|job r3 started|null|2|null");
        // r1 and r2 started in minute 00:00, r3 in 00:01.
        assertThat(rows("SELECT window_start, service, requests, failed_requests, timed_out"
                + " FROM metrics_requests_minute")).containsOnlyKeys(
                MONDAY + "|worker|2|1|0",
                MONDAY.plusSeconds(60) + "|worker|1|1|1");
    }

    @Test
    void topTwentyTemplatesPerHourAreRankedByCount() throws Exception {
        Map<String, Map<String, Long>> perWorkspace = new TreeMap<>();
        Map<String, String> samples = new TreeMap<>();
        for (In in : INPUT) {
            if (!in.time.isBefore(MONDAY)) {
                continue;
            }
            String template = new TemplateMiner().add(in.message).text;
            perWorkspace.computeIfAbsent(in.workspace, w -> new TreeMap<>()).merge(template, 1L, Long::sum);
            samples.merge(in.workspace + "|" + template, in.message, (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        List<String> expected = new ArrayList<>();
        perWorkspace.forEach((workspace, counts) -> {
            List<Map.Entry<String, Long>> ranked = counts.entrySet().stream()
                    .sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(20).collect(Collectors.toList());
            for (int r = 0; r < ranked.size(); r++) {
                String template = ranked.get(r).getKey();
                expected.add(workspace + "|" + (r + 1) + "|" + template + "|" + ranked.get(r).getValue() + "|"
                        + samples.get(workspace + "|" + template));
            }
        });
        assertThat(expected).hasSize(20 + 1);
        List<String> actual = new ArrayList<>(rows("SELECT workspace_id, rank, template, events, sample_message"
                + " FROM metrics_templates_hour WHERE window_start = '2026-11-08T23:00:00Z'"
                + " ORDER BY workspace_id, rank").keySet());
        assertThat(actual).containsExactlyElementsOf(expected);
    }

    @Test
    void aBackfillOfTheSameDaysInBatchModeWritesTheSameAggregates() throws Exception {
        PostgresConfig batchDb = POSTGRES.freshDatabase();
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(batchDb)));
        args.addAll(List.of(
                "--from", "2026-11-08", "--to", "2026-11-09",
                "--metrics.enabled", "true",
                "--uploads.path", root.resolve("uploads").toUri().toString(),
                "--workspaces.file", root.resolve("registrations.ndjson").toUri().toString(),
                "--requests.timeout", "2 min",
                "--job.parallelism", "2"));
        LogflowJob.fromConfig(JobConfig.load(Main.backfillArgs(args.toArray(new String[0])), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());

        for (String table : List.of("metrics_minute", "metrics_day", "metrics_week", "metrics_latency_minute",
                "metrics_requests_minute", "metrics_templates_hour", "failed_requests")) {
            String sql = "SELECT * FROM " + table + " ORDER BY 1, 2, 3, 4";
            assertThat(rows(batchDb, sql)).as(table).isNotEmpty().isEqualTo(rows(db, sql));
        }
    }

    private static void assertWithinSketchError(double actual, List<Double> sorted, double q) {
        // DDSketch answers the value at rank q * (n - 1) within 1% of it; between ranks either neighbour is exact.
        double rank = q * (sorted.size() - 1);
        double low = sorted.get((int) Math.floor(rank)) * 0.99;
        double high = sorted.get((int) Math.ceil(rank)) * 1.01;
        assertThat(actual).as("p%s", q * 100).isBetween(low, high);
    }

    /** Expected volume rows (start|workspace|service|level -> events|bytes|errors|warnings) per bucket. */
    private static Map<String, String> volume(Function<In, Instant> bucket) {
        Map<String, List<In>> groups = INPUT.stream().collect(Collectors.groupingBy(
                in -> bucket.apply(in) + "|" + in.workspace + "|" + in.service + "|" + in.level,
                TreeMap::new, Collectors.toList()));
        Map<String, String> out = new TreeMap<>();
        groups.forEach((key, ins) -> out.put(key, ins.size()
                + "|" + ins.stream().mapToLong(in -> in.message.getBytes(StandardCharsets.UTF_8).length).sum()
                + "|" + ins.stream().filter(in -> in.level.equals("ERROR") || in.level.equals("FATAL")).count()
                + "|" + ins.stream().filter(in -> in.level.equals("WARN")).count()));
        return out;
    }

    /** The volume rows as the table has them: the window end after its start, all columns joined. */
    private static Map<String, String> withEnd(Map<String, String> volume, long seconds) {
        Map<String, String> out = new TreeMap<>();
        volume.forEach((key, values) -> {
            String[] k = key.split("\\|", 2);
            out.put(k[0] + "|" + Instant.parse(k[0]).plusSeconds(seconds) + "|" + k[1] + "|" + values, "");
        });
        return out;
    }

    /** Every row of a query, its columns joined by '|' (timestamps as UTC instants), as the keys of a map. */
    private static Map<String, String> rows(String sql) throws Exception {
        return rows(db, sql);
    }

    private static Map<String, String> rows(PostgresConfig database, String sql) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = PostgresExtension.connect(database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    if (i > 1) {
                        row.append('|');
                    }
                    // metrics_* hold UTC wall-clock timestamps
                    Object value = meta.getColumnTypeName(i).equals("timestamp")
                            ? rs.getObject(i, LocalDateTime.class).toInstant(ZoneOffset.UTC)
                            : rs.getObject(i);
                    row.append(value);
                }
                out.put(row.toString(), "");
            }
        }
        return out;
    }
}
