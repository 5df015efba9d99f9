package io.logflow.app;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.logflow.testing.Archives.gzip;
import static io.logflow.testing.Archives.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** A backfill re-reads the uploads of a date range as a bounded batch run; running it again adds nothing. */
class BackfillTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path root;

    @Test
    void backfillReadsOnlyTheDaysAskedForAndARepeatAddsNoRows() throws Exception {
        write("acme/api/2026/11/01/a.log", lines("a", 3));
        write("acme/api/2026/11/02/b.log", lines("b", 4));
        Files.write(dir("acme/api/2026/11/03").resolve("c.log.gz"), gzip(utf8(lines("c", 5))));
        write("acme/api/2026/11/04/d.log", lines("d", 6));
        write("acme/api/2026/11/02/.hidden.log", lines("h", 7));
        write("loose.log", lines("l", 2));
        PostgresConfig db = POSTGRES.freshDatabase();

        backfill(db, "--from", "2026-11-02", "--to", "2026-11-03");
        assertThat(eventsPerFile(db)).containsExactly(entry("b.log", 4L), entry("c.log.gz", 5L));
        assertThat(PostgresExtension.counts(db, "SELECT status, count(*) FROM uploads GROUP BY 1"))
                .containsExactly(entry("DONE", 2L));

        backfill(db, "--from", "2026-11-02", "--to", "2026-11-03"); // the same days again
        assertThat(eventsPerFile(db)).containsExactly(entry("b.log", 4L), entry("c.log.gz", 5L));
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM uploads")).isEqualTo(2);

        backfill(db, "--from", "2026-11-01", "--to", "2026-11-01");
        assertThat(eventsPerFile(db)).containsExactly(
                entry("a.log", 3L), entry("b.log", 4L), entry("c.log.gz", 5L));
    }

    /**
     * A BATCH run sorts each routing key's records (here, of many files) before the parse step counts them: the files'
     * markers still come first and last, so every row is whole.
     */
    @Test
    void everyFileOfARoutingKeyIsCountedWhole() throws Exception {
        List<String> expected = new ArrayList<>();
        for (String workspace : List.of("acme", "beta", "gamma", "delta")) {
            for (int f = 0; f < 3; f++) {
                write(workspace + "/api/2026/11/02/f" + f + ".log", lines(workspace + f, 40 + f));
                expected.add(workspace + "/api/2026/11/02/f" + f + ".log DONE " + (40 + f) + "=" + (40 + f) + "+0+0");
            }
        }
        PostgresConfig db = POSTGRES.freshDatabase();

        backfill(db, "--from", "2026-11-02", "--to", "2026-11-02");

        assertThat(PostgresExtension.counts(db, "SELECT regexp_replace(path, '^.*/([a-z]+/api/)', '\\1') || ' ' "
                + "|| status || ' ' || lines || '=' || events || '+' || failures || '+' || skipped, 1 FROM uploads"))
                .containsOnlyKeys(expected);
    }

    @Test
    void backfillArgumentsBecomeABatchRunOverTheRange() {
        JobConfig config = JobConfig.load(Main.backfillArgs(new String[] {
            "--from", "2026-11-02", "--uploads.path", "file:///data", "--postgres.url", "jdbc:postgresql://db/x"}),
                Map.of());

        assertThat(config.runtimeMode).isEqualTo(RuntimeExecutionMode.BATCH);
        assertThat(config.uploads.get().dateFrom).hasToString("2026-11-02");
        assertThat(config.uploads.get().dateTo).isNull();
    }

    private void backfill(PostgresConfig db, String... range) throws Exception {
        List<String> args = new ArrayList<>(List.of(range));
        args.addAll(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of("--uploads.path", root.toUri().toString(), "--job.parallelism", "2"));
        JobConfig config = JobConfig.load(Main.backfillArgs(args.toArray(new String[0])), Map.of());
        LogflowJob.fromConfig(config).execute(StreamExecutionEnvironment.getExecutionEnvironment());
    }

    private static Map<String, Long> eventsPerFile(PostgresConfig db) throws Exception {
        return PostgresExtension.counts(db, "SELECT regexp_replace(source_ref, '^.*/([^/#]+)#L[0-9]+$', '\\1'), "
                + "count(*) FROM log_events GROUP BY 1 ORDER BY 1");
    }

    private Path dir(String relative) throws Exception {
        return Files.createDirectories(root.resolve(relative));
    }

    private void write(String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static String lines(String prefix, int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < n; i++) {
            out.append(prefix).append(" line ").append(i).append('\n');
        }
        return out.toString();
    }
}
