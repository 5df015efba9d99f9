package io.logflow.cluster;

import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.PostgresExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the windowed metrics wrote into a database, in a form two runs can be compared by: every {@code metrics_*}
 * table the schema has (found in the catalog, so a new one is compared without a change here) and the tables in
 * {@link #MORE_TABLES}, each as its rows in a canonical order. Floating-point values are rounded to 9 significant
 * digits: an average summed in another order (another parallelism) may differ in its last bits.
 */
final class Aggregates {
    /** Aggregate tables whose names do not start with {@code metrics_}. */
    static final List<String> MORE_TABLES = List.of("failed_requests");

    /**
     * Tables compared by a query of their own instead of all their columns. {@code metrics_templates_hour}: the
     * templates are mined online by each parallel instance (LOG_TEMPLATE), which learns from the messages it has seen
     * and keeps nothing in Flink state, so after a restore or at another parallelism the same message may get another
     * template. What must agree is which windows of which workspaces have templates, and (with fewer than 20
     * templates in an hour, as here) how many events they hold.
     */
    static final Map<String, String> COMPARED_BY = Map.of("metrics_templates_hour",
            "SELECT window_start, window_end, workspace_id, sum(events) FROM metrics_templates_hour GROUP BY 1, 2, 3");

    private Aggregates() {}

    /**
     * Whether every window of the data has been written, told by totals computed from the input: each data event
     * once in the minute, day, week and latency rows (cumulative day and week rows are rewritten with growing counts,
     * so their sum reaches the total only when final), one request per data event, one failed request per error,
     * and the data's hour has templates.
     */
    static boolean complete(PostgresConfig db, ClusterInput input) throws SQLException {
        long events = input.dataEvents;
        return total(db, "SELECT coalesce(sum(events), 0) FROM metrics_minute") == events
                && total(db, "SELECT coalesce(sum(events), 0) FROM metrics_day") == events
                && total(db, "SELECT coalesce(sum(events), 0) FROM metrics_week") == events
                && total(db, "SELECT coalesce(sum(events), 0) FROM metrics_latency_minute") == events
                && total(db, "SELECT coalesce(sum(requests), 0) FROM metrics_requests_minute") == events
                && total(db, "SELECT count(*) FROM failed_requests") == input.errorEvents()
                && total(db, "SELECT count(*) FROM metrics_templates_hour") > 0;
    }

    /** The totals {@link #complete} looks at, for failure messages. */
    static String totals(PostgresConfig db) throws SQLException {
        return PostgresExtension.counts(db, "SELECT 'minute', coalesce(sum(events), 0) FROM metrics_minute"
                + " UNION ALL SELECT 'day', coalesce(sum(events), 0) FROM metrics_day"
                + " UNION ALL SELECT 'week', coalesce(sum(events), 0) FROM metrics_week"
                + " UNION ALL SELECT 'latency', coalesce(sum(events), 0) FROM metrics_latency_minute"
                + " UNION ALL SELECT 'requests', coalesce(sum(requests), 0) FROM metrics_requests_minute"
                + " UNION ALL SELECT 'failed_requests', count(*) FROM failed_requests"
                + " UNION ALL SELECT 'template rows', count(*) FROM metrics_templates_hour").toString();
    }

    private static long total(PostgresConfig db, String sql) throws SQLException {
        return PostgresExtension.count(db, sql);
    }

    /** Table name to its rows, each row its columns' values in column order, rows sorted. */
    static Map<String, List<String>> snapshot(PostgresConfig db) throws SQLException {
        Map<String, List<String>> out = new TreeMap<>();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement()) {
            for (String table : tables(st, db)) {
                List<String> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery(COMPARED_BY.getOrDefault(table, "SELECT * FROM " + table))) {
                    ResultSetMetaData meta = rs.getMetaData();
                    while (rs.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int i = 1; i <= meta.getColumnCount(); i++) {
                            Object value = rs.getObject(i);
                            row.append(i > 1 ? " | " : "").append(meta.getColumnName(i)).append('=')
                                    .append(value instanceof Double || value instanceof Float
                                            ? String.format("%.9g", ((Number) value).doubleValue()) : value);
                        }
                        rows.add(row.toString());
                    }
                }
                rows.sort(null);
                out.put(table, rows);
            }
        }
        return out;
    }

    private static List<String> tables(Statement st, PostgresConfig db) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rs = st.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema ="
                + " 'public' AND table_type = 'BASE TABLE' AND (table_name LIKE 'metrics\\_%' OR table_name = ANY('{"
                + String.join(",", MORE_TABLES) + "}')) ORDER BY 1")) {
            while (rs.next()) {
                tables.add(rs.getString(1));
            }
        }
        if (!tables.containsAll(MORE_TABLES) || tables.size() <= MORE_TABLES.size()) {
            throw new IllegalStateException("no metrics tables in " + db.url + ": " + tables);
        }
        return tables;
    }
}
