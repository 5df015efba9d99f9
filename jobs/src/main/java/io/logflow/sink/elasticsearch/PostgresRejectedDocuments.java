package io.logflow.sink.elasticsearch;

import io.logflow.config.JobConfig.PostgresConfig;
import io.logflow.model.Failure;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * Rejected documents into {@code ingest_failures}, next to every other failure, with the row shape and the
 * {@code ON CONFLICT DO NOTHING} of the Postgres failure sink (so a replay adds nothing).
 */
public final class PostgresRejectedDocuments implements RejectedDocuments {
    private static final long serialVersionUID = 1L;

    static final String INSERT_FAILURE = "INSERT INTO ingest_failures (failure_id, stage, reason, detail, source, "
            + "source_ref, workspace_id, raw, raw_size, failed_at) "
            + "VALUES (CAST(? AS uuid), ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (failure_id) DO NOTHING";

    private final PostgresConfig config;

    public PostgresRejectedDocuments(PostgresConfig config) {
        this.config = config;
    }

    @Override
    public void record(List<Failure> failures) throws Exception {
        try (Connection c = DriverManager.getConnection(config.url, config.user, config.password);
                PreparedStatement ps = c.prepareStatement(INSERT_FAILURE)) {
            for (Failure f : failures) {
                ps.setString(1, f.failureId);
                ps.setString(2, f.stage.name());
                ps.setString(3, f.reason);
                ps.setString(4, text(f.detail));
                ps.setString(5, f.source == null ? null : f.source.name());
                ps.setString(6, text(f.sourceRef));
                ps.setString(7, text(f.workspaceId));
                ps.setBytes(8, f.raw);
                ps.setInt(9, f.rawSize);
                ps.setObject(10, Instant.ofEpochMilli(f.time).atOffset(ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** PostgreSQL text cannot hold NUL; a log line may. */
    private static String text(String s) {
        return s == null || s.indexOf('\0') < 0 ? s : s.replace('\0', '\uFFFD');
    }
}
