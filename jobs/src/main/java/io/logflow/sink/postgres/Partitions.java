package io.logflow.sink.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The daily partitions of {@code log_events} and {@code ingest_failures} (schema version 7): made ahead for today and
 * the next {@value #DAYS_AHEAD} days (UTC), and dropped whole once older than {@code postgres.retention}. A row whose
 * day has no partition lands in the table's default partition, so a missing partition never fails a write; making one
 * moves such rows of its day out of the default partition.
 */
public final class Partitions {
    private static final Logger LOG = LoggerFactory.getLogger(Partitions.class);
    /** Days after today whose partitions are made ahead. */
    public static final int DAYS_AHEAD = 2;

    private Partitions() {}

    /**
     * Makes the partitions of today and the next {@value #DAYS_AHEAD} days that are missing; returns how many. Errors
     * of the database are {@link PostgresException}s.
     */
    public static int ensure(PostgresConfig config) {
        try (Connection c = connect(config);
                PreparedStatement ps = c.prepareStatement("SELECT logflow_ensure_partitions(?)")) {
            ps.setInt(1, DAYS_AHEAD);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
    }

    /** The time before which rows are dropped under {@code retention}, at {@code now}. */
    public static Instant cutoff(Instant now, Duration retention) {
        return now.minus(retention);
    }

    /**
     * Drops the daily partitions that end at or before {@code cutoff} (whole days only: a partition holding any time
     * at or after it stays) and deletes the rows before it from the default partitions. Returns the dropped
     * partitions' names, in order. Errors of the database are {@link PostgresException}s.
     */
    public static List<String> dropBefore(PostgresConfig config, Instant cutoff) {
        List<String> dropped = new ArrayList<>();
        try (Connection c = connect(config);
                PreparedStatement ps = c.prepareStatement("SELECT logflow_drop_partitions(?)")) {
            ps.setObject(1, OffsetDateTime.ofInstant(cutoff, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    dropped.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new PostgresException(e);
        }
        return dropped;
    }

    /** What one round of {@link Maintenance} did. */
    public static final class Round {
        public final int created;
        public final List<String> dropped;

        Round(int created, List<String> dropped) {
            this.created = created;
            this.dropped = dropped;
        }
    }

    /**
     * The job's upkeep of the partitions, run by the first subtask of the {@code log_events} sink when it starts and
     * every {@link #INTERVAL}: make the coming days' partitions, and, with a retention, drop the expired ones.
     */
    public static final class Maintenance implements Serializable {
        private static final long serialVersionUID = 1L;
        public static final Duration INTERVAL = Duration.ofHours(1);
        private final PostgresConfig config;

        public Maintenance(PostgresConfig config) {
            this.config = config;
        }

        public Round run(Instant now) {
            int created = ensure(config);
            List<String> dropped = config.retention == null
                    ? List.of() : dropBefore(config, cutoff(now, config.retention));
            if (created > 0 || !dropped.isEmpty()) {
                LOG.info("Partitions: {} made ahead, {} dropped past the retention of {}{}", created, dropped.size(),
                        config.retention, dropped.isEmpty() ? "" : ": " + String.join(", ", dropped));
            }
            return new Round(created, dropped);
        }
    }

    private static Connection connect(PostgresConfig config) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", config.user);
        props.setProperty("password", config.password == null ? "" : config.password);
        Connection c = new org.postgresql.Driver().connect(config.url, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + config.url);
        }
        return c;
    }
}
