package io.logflow.sink.postgres;

import io.logflow.testing.PostgresExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Migrating a database of schema version 6 (single tables with rows) to the daily partitions keeps every row. */
class PartitioningMigrationTest {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void rowsOfAVersion6DatabaseMoveIntoTheirDaysPartitions() throws Exception {
        PostgresConfig any = POSTGRES.freshDatabase();
        String name = "v6_" + System.nanoTime();
        try (Connection c = PostgresExtension.connect(any); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        }
        String url = any.url.replaceAll("/[^/?]+(\\?|$)", "/" + name + "$1");
        PostgresConfig v6 = new PostgresConfig(url, any.user, any.password, 100, any.flushInterval, 0);
        Flyway.configure().dataSource(url, any.user, any.password).locations("classpath:db/migration")
                .target("6").load().migrate();
        try (Connection c = PostgresExtension.connect(v6); Statement st = c.createStatement()) {
            String[] times = {"2026-03-01T10:00:00Z", "2026-03-01T23:59:59.999Z", "2026-03-02T00:00:00Z",
                "1999-12-31T12:00:00Z"};
            for (int i = 0; i < times.length; i++) {
                String id = "00000000-0000-0000-0000-00000000000" + i;
                st.execute("INSERT INTO log_events (event_id, workspace_id, event_time, ingest_time, message, fields, "
                        + "source, source_ref) VALUES ('" + id + "', 'acme', '" + times[i] + "', '" + times[i]
                        + "', 'm" + i + "', '{\"k\": \"v\"}', 'KAFKA', 'ref" + i + "')");
                st.execute("INSERT INTO ingest_failures (failure_id, stage, reason, failed_at, record, replayed_at) "
                        + "VALUES ('" + id + "', 'PARSE', 'invalid_json', '" + times[i] + "', '{}', NULL)");
            }
        }

        Migrations.Applied applied = Migrations.apply(v6);

        assertThat(applied.migrationsExecuted).isGreaterThanOrEqualTo(2);
        assertThat(PostgresExtension.counts(v6, "SELECT tableoid::regclass::text, count(*) FROM log_events "
                + "GROUP BY 1 ORDER BY 1")).isEqualTo(Map.of("log_events_p19991231", 1L, "log_events_p20260301", 2L,
                "log_events_p20260302", 1L));
        assertThat(PostgresExtension.counts(v6, "SELECT tableoid::regclass::text, count(*) FROM ingest_failures "
                + "GROUP BY 1 ORDER BY 1")).isEqualTo(Map.of("ingest_failures_p19991231", 1L,
                "ingest_failures_p20260301", 2L, "ingest_failures_p20260302", 1L));
        assertThat(PostgresExtension.count(v6, "SELECT count(*) FROM analyst_log_events WHERE fields = '{\"k\": \"v\"}'"))
                .isEqualTo(4);
        assertThat(PostgresExtension.count(v6, "SELECT count(*) FROM analyst_ingest_failures WHERE record = '{}'"))
                .isEqualTo(4);
        assertThat(PostgresExtension.count(v6, "SELECT count(*) FROM pg_class WHERE relname LIKE '%\\_v6%'")).isZero();
    }
}
