package io.logflow.app;

import io.logflow.model.EventIds;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.logflow.testing.Archives.cloudWatchEnvelope;
import static io.logflow.testing.Archives.completeLinesBeforeCut;
import static io.logflow.testing.Archives.gzip;
import static io.logflow.testing.Archives.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The whole job over a folder of files into a real PostgreSQL: every line is accounted for, a re-run adds nothing. */
class UploadPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final int MAX_LINE_BYTES = 1024;
    private static final long T0 = 1_793_610_000_000L; // 2026-11-02T09:00:00Z

    @TempDir Path dir;

    @Test
    void everyLineBecomesAnEventOrAFailureAndRerunAddsNothing() throws Exception {
        List<String> json = new ArrayList<>();
        String[] levels = {"debug", "info", "warn", "error"};
        for (int i = 0; i < 40; i++) {
            json.add("{\"timestamp\":" + (T0 + i * 1000L) + ",\"level\":\"" + levels[i % 4] + "\",\"message\":\"m" + i
                    + "\",\"ctx\":{\"user\":\"u" + i + "\"}}");
        }
        List<String> invalidJson = List.of("{\"level\":\"info\",\"message\":\"unterminated", "{\"level\":\"error\" \"message\":\"missing comma\"}");
        List<String> plain = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            plain.add("plain line number " + i);
        }
        String tooLong = "x".repeat(MAX_LINE_BYTES + 500);

        List<String> appLines = new ArrayList<>(json);
        appLines.add(7, invalidJson.get(0));
        appLines.add(21, invalidJson.get(1));
        appLines.add(30, ""); // a blank line: a counted skip
        appLines.add(tooLong);
        write(dir.resolve("app.log"), appLines);
        write(dir.resolve("plain.txt"), plain);

        List<String> zipped = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            zipped.add("zipped line " + i);
        }
        Files.write(dir.resolve("rotated.log.gz"), gzip(utf8(String.join("\n", zipped) + "\n")));

        StringBuilder big = new StringBuilder();
        for (int i = 0; i < 3000; i++) {
            big.append("line of a truncated archive number ").append(i).append('\n');
        }
        byte[] full = gzip(utf8(big.toString()));
        byte[] truncated = Arrays.copyOf(full, full.length / 2);
        Files.write(dir.resolve("cut.log.gz"), truncated);
        long truncatedLinesReadable = completeLinesBeforeCut(truncated);
        assertThat(truncatedLinesReadable).isBetween(1L, 2999L);

        long expectedEvents = json.size() + plain.size() + zipped.size() + truncatedLinesReadable;
        long expectedFailures = invalidJson.size() + 1 /* line_too_long */ + 1 /* truncated_file */;

        PostgresConfig db = POSTGRES.freshDatabase();
        runJob(db);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(expectedEvents);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1"))
                .containsExactly(entry("invalid_json", 2L), entry("line_too_long", 1L), entry("truncated_file", 1L));
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(expectedFailures);
        assertThat(PostgresExtension.counts(db,
                "SELECT level, count(*) FROM log_events WHERE format = 'json' GROUP BY 1 ORDER BY 1"))
                .containsEntry("DEBUG", 10L).containsEntry("INFO", 10L).containsEntry("WARN", 10L)
                .containsEntry("ERROR", 10L);

        assertJsonLineStoredWithDeterministicId(db);
        assertFailureKeepsRawLine(db, invalidJson.get(1));
        assertThat(PostgresExtension.count(db, "SELECT raw_size FROM ingest_failures WHERE reason = 'line_too_long'"))
                .as("the over-long line's own size, not the cap").isEqualTo(tooLong.length());

        // every file is accounted for: lines = events + failures + skipped
        assertThat(PostgresExtension.counts(db, "SELECT regexp_replace(path, '.*/', '') || ' ' || status || ' ' "
                        + "|| lines || '=' || events || '+' || failures || '+' || skipped || ' ' || coalesce(error, '-'), "
                        + "bytes FROM uploads ORDER BY 1"))
                .containsExactly(
                        entry("app.log DONE " + appLines.size() + "=40+3+1 -", Files.size(dir.resolve("app.log"))),
                        entry("cut.log.gz FAILED " + (truncatedLinesReadable + 1) + "=" + truncatedLinesReadable
                                + "+1+0 truncated_file", (long) truncated.length),
                        entry("plain.txt DONE 25=25+0+0 -", Files.size(dir.resolve("plain.txt"))),
                        entry("rotated.log.gz DONE 30=30+0+0 -", Files.size(dir.resolve("rotated.log.gz"))));

        runJob(db); // the same input again: deterministic ids, idempotent sinks
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(expectedEvents);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(expectedFailures);
    }

    @Test
    void aDamagedFirehoseObjectKeepsTheEnvelopesBeforeTheDamage() throws Exception {
        // 60 good envelopes, then one cut off in the middle: Firehose's uncompressed form, no separators
        int envelopes = 60;
        int eventsEach = 2;
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < envelopes; i++) {
            plain.append(cloudWatchEnvelope("111122223333", "/aws/lambda/f", "s" + i, 1 + i * 10, eventsEach));
        }
        String lastEnvelope = cloudWatchEnvelope("111122223333", "/aws/lambda/f", "cut", 5000, 400);
        String cutOff = lastEnvelope.substring(0, lastEnvelope.length() / 2);
        plain.append(cutOff);
        Files.write(dir.resolve("firehose.json"), utf8(plain.toString()));

        // two good gzip members, then a truncated one (Firehose's compressed form)
        byte[] first = gzip(utf8(cloudWatchEnvelope("111122223333", "/aws/lambda/g", "a", 1, 3)));
        byte[] second = gzip(utf8(cloudWatchEnvelope("111122223333", "/aws/lambda/g", "b", 100, 4)));
        String thirdJson = cloudWatchEnvelope("111122223333", "/aws/lambda/g", "c", 1000, 300);
        byte[] third = gzip(utf8(thirdJson));
        java.io.ByteArrayOutputStream members = new java.io.ByteArrayOutputStream();
        members.writeBytes(first);
        members.writeBytes(second);
        members.write(third, 0, third.length / 2);
        Files.write(dir.resolve("firehose-members.gz"), members.toByteArray());

        // hidden and temporary files are not read
        write(dir.resolve("_SUCCESS"), List.of("marker"));
        write(dir.resolve(".firehose.json.tmp"), List.of("half an upload"));

        long plainEvents = (long) envelopes * eventsEach;
        long memberEvents = 3 + 4; // the cut member holds one envelope: all of it is the damaged part

        PostgresConfig db = POSTGRES.freshDatabase();
        runJob(db);

        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events WHERE source = 'CLOUDWATCH'"))
                .isEqualTo(plainEvents + memberEvents);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1"))
                .containsExactly(entry("invalid_json", 1L), entry("truncated_file", 1L));
        assertThat(PostgresExtension.counts(db, "SELECT regexp_replace(path, '.*/', '') || ' ' || status || ' ' "
                        + "|| lines || '=' || events || '+' || failures || '+' || skipped || ' ' || coalesce(error, '-'), "
                        + "bytes FROM uploads ORDER BY 1"))
                .containsExactly(
                        entry("firehose-members.gz FAILED " + (memberEvents + 1) + "=" + memberEvents
                                + "+1+0 truncated_file", (long) members.size()),
                        entry("firehose.json FAILED " + (plainEvents + 1) + "=" + plainEvents + "+1+0 invalid_json",
                                Files.size(dir.resolve("firehose.json"))));

        int maxRaw = 8192; // failures.max-raw-bytes by default
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT reason, stage, raw, raw_size, source_ref FROM ingest_failures "
                        + "ORDER BY reason")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("invalid_json");
            assertThat(rs.getString(2)).isEqualTo("SOURCE");
            assertThat(new String(rs.getBytes(3), StandardCharsets.UTF_8)).isEqualTo(cutOff.substring(0, maxRaw));
            assertThat(rs.getInt(4)).as("the damaged part's true size").isEqualTo(utf8(cutOff).length);
            assertThat(rs.getString(5)).contains("firehose.json");
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("truncated_file");
            String raw = new String(rs.getBytes(3), StandardCharsets.UTF_8);
            assertThat(thirdJson).startsWith(raw); // what the cut member inflated to before the cut
            assertThat(rs.getInt(4)).isBetween(raw.length(), utf8(thirdJson).length - 1);
            assertThat(rs.getString(5)).contains("firehose-members.gz");
        }
    }

    private void runJob(PostgresConfig db) throws Exception {
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of(
                "--uploads.path", dir.toUri().toString(),
                "--uploads.max-line-bytes", Integer.toString(MAX_LINE_BYTES),
                "--job.parallelism", "2",
                "--job.checkpoint-interval", "1 s"));
        JobConfig config = JobConfig.load(args.toArray(new String[0]), Map.of());
        LogflowJob.fromConfig(config).execute(StreamExecutionEnvironment.getExecutionEnvironment());
    }

    private void assertJsonLineStoredWithDeterministicId(PostgresConfig db) throws Exception {
        // app.log line 1 is json.get(0): timestamp T0, level debug, message m0, ctx.user u0
        Path file = dir.resolve("app.log");
        String path = "file:" + file.toAbsolutePath();
        String version = Files.getLastModifiedTime(file).toMillis() + "-" + Files.size(file);
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT event_id, event_time, level, message, fields->>'ctx.user', "
                        + "source, source_ref FROM log_events WHERE source_ref LIKE '%/app.log#L1'")) {
            assertThat(rs.next()).as("row for app.log line 1").isTrue();
            assertThat(rs.getString(1)).isEqualTo(EventIds.of("upload", path, version, null, "1"));
            assertThat(rs.getTimestamp(2).getTime()).isEqualTo(T0);
            assertThat(rs.getString(3)).isEqualTo("DEBUG");
            assertThat(rs.getString(4)).isEqualTo("m0");
            assertThat(rs.getString(5)).isEqualTo("u0");
            assertThat(rs.getString(6)).isEqualTo("UPLOAD");
            assertThat(rs.getString(7)).isEqualTo(path + "#L1");
        }
    }

    private static void assertFailureKeepsRawLine(PostgresConfig db, String line) throws Exception {
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT stage, raw, raw_size, detail FROM ingest_failures "
                        + "WHERE reason = 'invalid_json' AND source_ref LIKE '%app.log#L22'")) {
            assertThat(rs.next()).as("failure for app.log line 22").isTrue();
            assertThat(rs.getString(1)).isEqualTo("PARSE");
            assertThat(new String(rs.getBytes(2), StandardCharsets.UTF_8)).isEqualTo(line);
            assertThat(rs.getInt(3)).isEqualTo(line.length());
            assertThat(rs.getString(4)).isNotBlank();
        }
    }

    private static void write(Path file, List<String> lines) throws IOException {
        Files.writeString(file, String.join("\n", lines) + "\n");
    }
}
