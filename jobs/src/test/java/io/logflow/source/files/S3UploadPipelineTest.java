package io.logflow.source.files;

import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.app.Main;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.S3Extension;
import io.logflow.testing.TestClusters;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.logflow.testing.Archives.cloudWatchEnvelope;
import static io.logflow.testing.Archives.completeLinesBeforeCut;
import static io.logflow.testing.Archives.entries;
import static io.logflow.testing.Archives.gzip;
import static io.logflow.testing.Archives.lines;
import static io.logflow.testing.Archives.tar;
import static io.logflow.testing.Archives.utf8;
import static io.logflow.testing.Archives.zip;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Uploads through real S3 (S3Proxy) and Flink's S3 file system into the real Postgres: every kind of file, the limits,
 * an object that arrives while the job runs, and each file reconciled in {@code uploads}.
 */
class S3UploadPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    @RegisterExtension static final S3Extension S3 = new S3Extension();

    private static final String BUCKET = "uploads";
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final long NOV_2 = 1_793_577_600_000L; // 2026-11-02T00:00:00Z

    /** Expected per file (key below logs/): events, failures, skipped; lines read must be their sum. */
    private final Map<String, long[]> expected = new TreeMap<>();
    private final Map<String, String> expectedStatus = new TreeMap<>();
    private final Map<String, Long> expectedFailures = new TreeMap<>();

    @Test
    void everyKindOfUploadIsReadFromS3AndAccountedForPerFile() throws Exception {
        S3.createBucket(BUCKET);
        List<String> app = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            app.add("{\"timestamp\":\"2026-11-02T10:00:0" + i + "Z\",\"level\":\"warn\",\"message\":\"json " + i + "\"}");
        }
        for (int i = 0; i < 5; i++) {
            app.add("plain line without a time " + i);
        }
        upload("acme/api/2026/11/02/app.log", utf8(lines(app)), 15, 0, "DONE");
        upload("acme/api/2026/11/02/batch.json",
                utf8("[{\"msg\":\"a\"},{\"msg\":\"b\"},{\"msg\":\"c\"},{\"msg\":\"d\"}]"), 4, 0, "DONE");
        upload("acme/worker/2026/11/01/dump.tar.gz",
                gzip(tar(entries("a.log", "a1\na2\na3\n", "b/c.log", "c1\nc2\n"))), 5, 0, "DONE");
        upload("beta/web/2026/11/02/archive.zip",
                zip(entries("../../evil.log", "e1\ne2\n", "ok.log", "ok\n")), 3, 0, "DONE");

        String many = IntStream.range(0, 4000).mapToObj(i -> "cut line " + i).collect(Collectors.joining("\n"));
        byte[] full = gzip(utf8(many + "\n"));
        byte[] cut = Arrays.copyOf(full, full.length / 2);
        long readable = completeLinesBeforeCut(cut);
        upload("acme/api/2026/11/02/cut.log.gz", cut, readable, 1, "FAILED");
        expectedFailures.merge("truncated_file", 1L, Long::sum);

        upload("acme/api/2026/11/02/bomb.gz", gzip(new byte[20 << 20]), 0, 1, "FAILED");
        expectedFailures.merge("decompressed_too_large", 1L, Long::sum);

        String control = "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\","
                + "\"logStream\":\"\",\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":1,"
                + "\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Firehose.\"}]}";
        upload("acme/lambda/2026/11/02/firehose.gz", gzip(utf8(
                cloudWatchEnvelope("111122223333", "/aws/lambda/checkout", "s1", 1, 3) + control
                        + cloudWatchEnvelope("111122223333", "/aws/lambda/checkout", "s2", 10, 2))), 5, 0, 1, "DONE");

        upload("acme/api/2026/11/02/huge.log", utf8("h".repeat(5 << 20) + "\nafter\n"), 1, 1, "DONE");
        expectedFailures.merge("line_too_long", 1L, Long::sum);

        PostgresConfig db = POSTGRES.freshDatabase();
        JobClient job = LogflowJob.fromConfig(config(db, "--uploads.monitor-interval", "1 s"))
                .executeAsync(StreamExecutionEnvironment.getExecutionEnvironment());
        try {
            awaitFinished(db, expected.size());
            upload("acme/api/2026/11/03/late.log", utf8(lines(List.of("l1", "l2", "l3"))), 3, 0, "DONE");
            awaitFinished(db, expected.size());
        } finally {
            job.cancel().get();
        }

        assertThat(uploadsTable(db)).isEqualTo(expectedUploadsTable());
        long events = expected.values().stream().mapToLong(v -> v[0]).sum();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1"))
                .isEqualTo(expectedFailures);

        // the path names the workspace and service; a line without a time takes the path's date and says so
        assertThat(PostgresExtension.counts(db, "SELECT routing_key || ' ' || service || ' ' || "
                        + "(extract(epoch FROM event_time) * 1000)::bigint || ' ' || (fields->>'timestamp_source'), "
                        + "count(*) FROM log_events WHERE message LIKE 'plain line without a time%' GROUP BY 1"))
                .containsExactly(Map.entry("acme api " + NOV_2 + " path", 5L));
        // a Firehose object's events keep their CloudWatch coordinates and, like every upload, take the path's routing
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events WHERE source = 'CLOUDWATCH' "
                + "AND log_group = '/aws/lambda/checkout' AND routing_key = 'acme'")).isEqualTo(5);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events "
                + "WHERE source_ref LIKE 's3://uploads/logs/beta/web/2026/11/02/archive.zip!../../evil.log#L%'"))
                .isEqualTo(2);

        // a backfill of the same days re-reads every object and adds nothing
        LogflowJob.fromConfig(JobConfig.load(Main.backfillArgs(concat(PostgresExtension.jobArgs(db),
                        "--from", "2026-11-01", "--to", "2026-11-03", "--uploads.path", "s3://" + BUCKET + "/logs/",
                        "--uploads.max-decompressed-bytes", "8 mb", "--job.parallelism", "2")), Map.of()))
                .execute(StreamExecutionEnvironment.getExecutionEnvironment());
        assertThat(uploadsTable(db)).isEqualTo(expectedUploadsTable());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1"))
                .isEqualTo(expectedFailures);
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private void upload(String key, byte[] content, long events, long failures, String status) {
        upload(key, content, events, failures, 0, status);
    }

    private void upload(String key, byte[] content, long events, long failures, long skipped, String status) {
        S3.put(BUCKET, "logs/" + key, content);
        expected.put(key, new long[] {events, failures, skipped});
        expectedStatus.put(key, status);
    }

    private JobConfig config(PostgresConfig db, String... extra) {
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(
                "--uploads.path", "s3://" + BUCKET + "/logs/",
                "--uploads.max-decompressed-bytes", "8 mb",
                "--job.parallelism", "2",
                "--job.checkpoint-interval", "1 s"));
        args.addAll(List.of(extra));
        return JobConfig.load(args.toArray(new String[0]), Map.of());
    }

    private Map<String, String> expectedUploadsTable() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] v = e.getValue();
            out.put(e.getKey(), expectedStatus.get(e.getKey()) + " lines=" + (v[0] + v[1] + v[2]) + " events=" + v[0]
                    + " failures=" + v[1] + " skipped=" + v[2]);
        }
        return out;
    }

    private static Map<String, String> uploadsTable(PostgresConfig db) throws SQLException {
        Map<String, String> out = new LinkedHashMap<>();
        PostgresExtension.counts(db, "SELECT substr(path, length('s3://uploads/logs/') + 1) || '|' || status "
                        + "|| ' lines=' || lines || ' events=' || events || ' failures=' || failures "
                        + "|| ' skipped=' || skipped, 0 FROM uploads "
                        + "ORDER BY 1")
                .keySet()
                .forEach(row -> out.put(row.substring(0, row.indexOf('|')), row.substring(row.indexOf('|') + 1)));
        return out;
    }

    private static void awaitFinished(PostgresConfig db, int files) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (PostgresExtension.count(db, "SELECT count(*) FROM uploads WHERE status IN ('DONE', 'FAILED')") < files) {
            assertThat(System.nanoTime()).as("%d uploads finished within %s", files, TIMEOUT).isLessThan(deadline);
            Thread.sleep(200);
        }
        Thread.sleep(1500); // let the last events' batches flush
    }
}
