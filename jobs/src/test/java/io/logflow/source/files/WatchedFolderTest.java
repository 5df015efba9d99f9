package io.logflow.source.files;

import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** A watched folder picks up new files, and leaves files older than the horizon to a backfill. */
class WatchedFolderTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @TempDir Path root;

    @Test
    void filesOlderThanTheHorizonAreLeftAloneAndNewOnesAreRead() throws Exception {
        write("acme/api/2026/10/01/stale.log", "old 1\nold 2\n");
        Files.setLastModifiedTime(root.resolve("acme/api/2026/10/01/stale.log"),
                FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        write("acme/api/2026/11/02/fresh.log", "new 1\nnew 2\nnew 3\n");
        PostgresConfig db = POSTGRES.freshDatabase();

        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of("--uploads.path", root.toUri().toString(), "--uploads.monitor-interval", "300 ms",
                "--uploads.horizon", "1 d", "--job.parallelism", "2", "--job.checkpoint-interval", "500 ms"));
        JobConfig config = JobConfig.load(args.toArray(new String[0]), Map.of());
        JobClient job = LogflowJob.fromConfig(config).executeAsync(StreamExecutionEnvironment.getExecutionEnvironment());
        try {
            awaitDone(db, 1, 3);
            write("acme/api/2026/11/03/late.log", "late 1\n");
            awaitDone(db, 2, 4);
            Thread.sleep(1500); // several more listings: the stale file must still be left alone
        } finally {
            job.cancel().get();
        }

        assertThat(PostgresExtension.counts(db,
                        "SELECT regexp_replace(path, '^.*/', '') || ' ' || status, events FROM uploads ORDER BY 1"))
                .containsExactly(entry("fresh.log DONE", 3L), entry("late.log DONE", 1L));
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(4);
    }

    private void write(String relative, String content) throws Exception {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private static void awaitDone(PostgresConfig db, int files, long events) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (PostgresExtension.count(db, "SELECT count(*) FROM uploads WHERE status = 'DONE'") < files
                || PostgresExtension.count(db, "SELECT count(*) FROM log_events") < events) {
            assertThat(System.nanoTime()).as("%d files done within 60 s", files).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
