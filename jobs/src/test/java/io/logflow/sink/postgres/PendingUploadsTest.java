package io.logflow.sink.postgres;

import io.logflow.model.UploadStatus;
import io.logflow.pipeline.UploadDiscoveryListener.DiscoveredFile;
import io.logflow.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Found files appear as PENDING uploads, and give way to what the readers report. */
class PendingUploadsTest {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final DiscoveredFile A = new DiscoveredFile("s3://b/logs/a.log", "5000-10", 10);
    private static final DiscoveredFile B = new DiscoveredFile("s3://b/logs/b.log", "6000-20", 20);

    @Test
    void foundFilesArePendingUntilAReaderReportsAndAreNeverSetBack() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        PendingUploads pending = new PendingUploads(db);

        pending.discovered(List.of(A, B));
        assertThat(PostgresExtension.counts(db, "SELECT path || ' ' || version || ' ' || status, bytes FROM uploads "
                        + "ORDER BY 1"))
                .containsExactly(entry("s3://b/logs/a.log 5000-10 PENDING", 10L),
                        entry("s3://b/logs/b.log 6000-20 PENDING", 20L));

        // a reader's status wins over PENDING even with an older clock reading
        upsert(db, UploadStatus.processing("s3://b/logs/a.log", "5000-10", 10, 1_000));
        pending.discovered(List.of(A)); // listed again: changes nothing
        assertThat(PostgresExtension.counts(db, "SELECT path || ' ' || status, 0 FROM uploads ORDER BY 1").keySet())
                .containsExactly("s3://b/logs/a.log PROCESSING", "s3://b/logs/b.log PENDING");
    }

    @Test
    void anUnreachableDatabaseIsReportedNotThrown() {
        PostgresConfig nowhere = new PostgresConfig("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1",
                "postgres", "", 1, Duration.ofSeconds(1), 0);

        new PendingUploads(nowhere).discovered(List.of(A)); // must return normally
    }

    private static void upsert(PostgresConfig db, UploadStatus status) throws Exception {
        try (Connection c = PostgresExtension.connect(db);
                PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_UPLOAD)) {
            new PostgresSinks.UploadStatement().accept(ps, status);
            ps.executeUpdate();
        }
    }
}
