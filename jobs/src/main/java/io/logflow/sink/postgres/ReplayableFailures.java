package io.logflow.sink.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@code ingest_failures} a replay takes (PARSE and ENRICH failures that kept their input and are not yet
 * replayed) and the marking of those it replayed ({@code replayed_at}). Errors are {@link PostgresException}s.
 */
public final class ReplayableFailures {
    static final String SELECT = "SELECT failure_id::text, stage, record::text FROM ingest_failures "
            + "WHERE stage IN ('PARSE', 'ENRICH') AND record IS NOT NULL AND replayed_at IS NULL AND reason = ? "
            + "AND failed_at >= ? AND failed_at < ? AND (CAST(? AS text) IS NULL OR workspace_id = ?) "
            + "ORDER BY failed_at LIMIT ?";

    static final String MARK = "UPDATE ingest_failures SET replayed_at = now() "
            + "WHERE failure_id = ANY (CAST(? AS uuid[])) AND record ->> 'eventId' = ANY (?)";

    private ReplayableFailures() {}

    /** One failure to replay: its id, its stage and its input as stored. */
    public static final class Row {
        public final String failureId;
        /** PARSE (the record is the raw line) or ENRICH (the record is the parsed event). */
        public final String stage;
        /** The JSON of the record. */
        public final String record;

        Row(String failureId, String stage, String record) {
            this.failureId = failureId;
            this.stage = stage;
            this.record = record;
        }

        public boolean isParseFailure() {
            return "PARSE".equals(stage);
        }
    }

    /**
     * At most {@code limit} replayable failures of {@code reason} that failed in [{@code from}, {@code to}), of
     * {@code workspace} if it is not null, oldest first.
     */
    public static List<Row> select(PostgresConfig postgres, String reason, Instant from, Instant to, String workspace,
            int limit) {
        try (Connection c = PostgresLogin.connect(postgres); PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setString(1, reason);
            ps.setObject(2, from.atOffset(ZoneOffset.UTC));
            ps.setObject(3, to.atOffset(ZoneOffset.UTC));
            ps.setString(4, workspace);
            ps.setString(5, workspace);
            ps.setInt(6, limit);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString(1), rs.getString(2), rs.getString(3)));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }

    /**
     * Sets {@code replayed_at} on those of {@code failureIds} whose event is among {@code storedEventIds}.
     *
     * @return how many it marked
     */
    public static int markReplayed(PostgresConfig postgres, List<String> failureIds, List<String> storedEventIds) {
        try (Connection c = PostgresLogin.connect(postgres); PreparedStatement ps = c.prepareStatement(MARK)) {
            ps.setArray(1, c.createArrayOf("text", failureIds.toArray()));
            ps.setArray(2, c.createArrayOf("text", storedEventIds.toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }
}
