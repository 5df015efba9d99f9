package io.logflow.bench.sink;

import io.logflow.bench.Comparison;
import io.logflow.bench.CpuMeter;
import io.logflow.bench.Rate;
import io.logflow.bench.pipeline.Tally;
import io.logflow.bench.servers.BenchCluster;
import io.logflow.bench.servers.BenchPostgres;
import io.logflow.model.LogEvent;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresSinks;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import static io.logflow.bench.Rounds.f;

/**
 * Issue 10, row 2: rows per second of the job's {@code log_events} sink (a MiniCluster at parallelism 1, a generator
 * source chained to the sink, into an empty {@code log_events}) against one {@code COPY} of the same rows into the
 * emptied {@code log_events} (the same partitions and indexes) by a single-threaded hand-written loop. The batched per-row
 * {@code INSERT} sink the COPY sink replaced runs in the same rounds for comparison. Rows are built before the clock
 * starts in all three. Rounds alternate; the figure to quote is the median of per-round ratios.
 *
 * <p>{@code java -cp bench/target/benchmarks.jar io.logflow.bench.sink.PostgresSinkThroughput [rounds] [rows]
 * [batch-size]}
 */
public final class PostgresSinkThroughput {
    private PostgresSinkThroughput() {}

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int rows = args.length > 1 ? Integer.parseInt(args[1]) : 300_000;
        int batchSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
        System.out.println(f("%,d rows a run, postgres.batch-size %d, parallelism 1", rows, batchSize));
        try (BenchPostgres postgres = BenchPostgres.start()) {
            PostgresConfig db = postgres.database("sink", batchSize, Duration.ofSeconds(1));
            int run = 0;
            // Warm-up of every path, then the measured rounds.
            copyBaseline(db, ++run, rows / 4);
            sink(db, ++run, rows / 4, PostgresSinks::logEvents);
            sink(db, ++run, rows / 4, PostgresSinks::logEventsByInsert);
            Comparison table = new Comparison("rows", "COPY", "sink (COPY; staging on conflict)",
                    "old sink (batched INSERT)");
            for (int r = 0; r < rounds; r++) {
                Rate copy = copyBaseline(db, ++run, rows);
                Rate staged = sink(db, ++run, rows, PostgresSinks::logEvents);
                Rate insert = sink(db, ++run, rows, PostgresSinks::logEventsByInsert);
                table.round(copy, staged, insert);
            }
            table.print("target: sink >= 0.8x COPY");
        }
        System.exit(0);
    }

    /** The job's sink into an emptied log_events; rows/s from the first row generated to the last flush. */
    static Rate sink(PostgresConfig db, int run, int rows, Function<PostgresConfig, Sink<LogEvent>> sink)
            throws Exception {
        execute(db, "TRUNCATE log_events");
        execute(db, "VACUUM ANALYZE log_events");
        Tally.reset();
        StreamExecutionEnvironment env = BenchCluster.environment(1);
        env.getConfig().disableGenericTypes();
        BenchEvents.stream(env, run, rows)
                .sinkTo(new Tally.EndMarking<>(sink.apply(db))).uid("postgres-log-events").name("Postgres log_events");
        env.execute("bench postgres sink");
        check(db, "log_events", rows);
        return Rate.of(rows, Tally.seconds(), Tally.cpuSeconds());
    }

    /**
     * One COPY of the same rows, encoded as they are generated, into the emptied log_events itself: the same daily
     * partitions and indexes as the sink writes into.
     */
    static Rate copyBaseline(PostgresConfig db, int run, int rows) throws Exception {
        String table = "log_events";
        execute(db, "TRUNCATE " + table);
        execute(db, "VACUUM ANALYZE " + table);
        LogEvent[] events = BenchEvents.events(run, rows);
        try (Connection c = DriverManager.getConnection(db.url, db.user, db.password)) {
            long t = System.nanoTime();
            long cpu = CpuMeter.total();
            CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " (event_id, "
                    + "workspace_id, event_time, ingest_time, level, service, log_group, log_stream, message, "
                    + "trace_id, span_id, request_id, duration_ms, fields, format, source, source_ref, routing_key) "
                    + "FROM STDIN");
            StringBuilder chunk = new StringBuilder(1 << 20);
            for (int n = 0; n < rows; n++) {
                row(chunk, events[n]);
                if (chunk.length() > (1 << 20) - 4096 || n == rows - 1) {
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    chunk.setLength(0);
                }
            }
            copy.endCopy();
            Rate rate = Rate.of(rows, (System.nanoTime() - t) / 1e9, (CpuMeter.total() - cpu) / 1e9);
            check(db, table, rows);
            return rate;
        }
    }

    /** A hand-written consumer's encoding: COPY text format, JSON by Jackson. */
    private static void row(StringBuilder out, LogEvent e) throws Exception {
        col(out, e.eventId, false);
        col(out, e.workspaceId, false);
        col(out, Instant.ofEpochMilli(e.timestamp).toString(), false);
        col(out, Instant.ofEpochMilli(e.ingestTime).toString(), false);
        col(out, e.level == null ? null : e.level.name(), false);
        col(out, e.service, false);
        col(out, e.logGroup, false);
        col(out, e.logStream, false);
        col(out, e.message, false);
        col(out, e.traceId, false);
        col(out, e.spanId, false);
        col(out, e.requestId, false);
        col(out, e.durationMs == null || e.durationMs.isNaN() ? null : e.durationMs.toString(), false);
        col(out, e.fields == null || e.fields.isEmpty() ? null : JSON.writeValueAsString(e.fields), false);
        col(out, e.format, false);
        col(out, e.source.name(), false);
        col(out, e.sourceRef, false);
        col(out, e.routingKey, true);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static void col(StringBuilder out, String value, boolean last) {
        if (value == null) {
            out.append("\\N");
        } else {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                switch (c) {
                    case '\\': out.append("\\\\"); break;
                    case '\t': out.append("\\t"); break;
                    case '\n': out.append("\\n"); break;
                    case '\r': out.append("\\r"); break;
                    default: out.append(c);
                }
            }
        }
        out.append(last ? '\n' : '\t');
    }

    private static void check(PostgresConfig db, String table, long expected) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url, db.user, db.password);
                Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            if (rs.getLong(1) != expected) {
                throw new IllegalStateException(table + " holds " + rs.getLong(1) + " rows, expected " + expected);
            }
        }
    }

    static void execute(PostgresConfig db, String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(db.url, db.user, db.password);
                Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
