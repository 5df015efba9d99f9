package io.logflow.sink.postgres;

import io.logflow.model.Failure;
import io.logflow.pipeline.RejectedDocuments;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;

/**
 * Rejected documents into {@code ingest_failures}, next to every other failure, through the Postgres failure sink's
 * own statement ({@code ON CONFLICT DO NOTHING}, so a replay adds nothing).
 */
public final class PostgresRejectedDocuments implements RejectedDocuments {
    private static final long serialVersionUID = 1L;

    private static final PostgresSinks.FailureStatement STATEMENT = new PostgresSinks.FailureStatement();

    private final PostgresConfig config;

    public PostgresRejectedDocuments(PostgresConfig config) {
        this.config = config;
    }

    @Override
    public void record(List<Failure> failures) throws Exception {
        try (Connection c = PostgresLogin.connect(config);
                PreparedStatement ps = c.prepareStatement(PostgresSinks.INSERT_FAILURE)) {
            for (Failure f : failures) {
                STATEMENT.accept(ps, f);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
