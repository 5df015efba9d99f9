package io.logflow.metrics;

import io.logflow.model.LogEvent;
import io.logflow.udf.ApproxPercentileFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.bridge.java.StreamStatementSet;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The windowed metrics: the enriched events and the request outcomes become two tables with event-time watermarks,
 * and {@code sql/flink/metrics.sql} (packed into the jar) aggregates them into the Postgres {@code metrics_*} and
 * {@code failed_requests} tables. The SQL runs in the same job as the DataStream topology.
 *
 * <p>Operators written here have uids (metrics-watermarks, metrics-input, request-filter, request-tracker,
 * request-timestamps, request-rows); the SQL operators get Flink's generated ids, which are stable while the SQL and
 * the topology stay the same. A changed metrics.sql restores with {@code --allowNonRestoredState} and loses only
 * the open windows.
 */
public final class Metrics {
    public static final String SQL_RESOURCE = "sql/flink/metrics.sql";

    private Metrics() {}

    public static void attach(
            StreamExecutionEnvironment env, DataStream<LogEvent> events, MetricsConfig config,
            Function<String, String> tableOptions) {
        DataStream<LogEvent> timed = events
                .assignTimestampsAndWatermarks(EventTimeWatermarks.strategy(config))
                .uid("metrics-watermarks")
                .name("Metrics event time");
        DataStream<Row> rows = timed
                .process(new MetricsInput(), MetricsInput.ROW_TYPE)
                .uid("metrics-input")
                .name("Metrics input (late events counted)");
        DataStream<Row> outcomes = timed
                .filter(RequestTracker::hasRequest)
                .uid("request-filter")
                .name("Events with a request id")
                .keyBy(RequestTracker::key, Types.STRING)
                .process(new RequestTracker(config), TypeInformation.of(RequestOutcome.class))
                .uid("request-tracker")
                .name("Track requests")
                .transform("Requests at their start time", TypeInformation.of(RequestOutcome.class),
                        new RequestTimestamps(config.requestTimeout.toMillis()))
                .uid("request-timestamps")
                .map(RequestOutcome::toRow, RequestOutcome.ROW_TYPE)
                .uid("request-rows")
                .name("Request outcome rows");

        StreamTableEnvironment tables = StreamTableEnvironment.create(env);
        tables.getConfig().setLocalTimeZone(ZoneOffset.UTC);
        tables.createTemporarySystemFunction("APPROX_PERCENTILE", ApproxPercentileFunction.class);
        tables.createTemporaryView("log_stream", tables.fromDataStream(rows, rowtime("event_time")));
        tables.createTemporaryView("request_outcomes", tables.fromDataStream(outcomes, rowtime("started_at")));

        StreamStatementSet inserts = tables.createStatementSet();
        for (String statement : statements(sql(), tableOptions)) {
            if (statement.regionMatches(true, 0, "INSERT", 0, 6)) {
                inserts.addInsertSql(statement);
            } else {
                tables.executeSql(statement);
            }
        }
        inserts.attachAsDataStream();
    }

    /** The record's timestamp (set from the event time above) becomes a rowtime column with the stream's watermark. */
    private static Schema rowtime(String column) {
        return Schema.newBuilder()
                .columnByMetadata(column, DataTypes.TIMESTAMP_LTZ(3), "rowtime")
                .watermark(column, "SOURCE_WATERMARK()")
                .build();
    }

    static String sql() {
        try (InputStream in = Metrics.class.getClassLoader().getResourceAsStream(SQL_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SQL_RESOURCE + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern SINK = Pattern.compile("\\$\\{sink:(\\w+)}");

    /**
     * The statements of a SQL file: comment lines dropped, split at semicolons that end a line, and each
     * {@code ${sink:<table>}} replaced by {@code tableOptions} of that table. The analysts' catalog
     * ({@code sql/flink/catalog.sql}) is filled the same way.
     */
    public static List<String> statements(String sql, Function<String, String> tableOptions) {
        StringBuilder text = new StringBuilder();
        for (String line : sql.split("\n")) {
            if (!line.strip().startsWith("--")) {
                text.append(line).append('\n');
            }
        }
        List<String> statements = new ArrayList<>();
        for (String statement : text.toString().split(";\\s*\n")) {
            String s = statement.strip();
            if (!s.isEmpty()) {
                statements.add(SINK.matcher(s)
                        .replaceAll(m -> Matcher.quoteReplacement(tableOptions.apply(m.group(1)))));
            }
        }
        return statements;
    }
}
