package io.logflow.sink.postgres;

import io.logflow.model.EventIds;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The COPY-and-staging-table sink of log events on a real PostgreSQL: it stores what the per-row INSERT stored, value
 * for value, and it stays idempotent through duplicates in a batch, a second run over the same events, and a failover
 * in the middle of a stream.
 */
class StagedCopySinkTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final String ALL_COLUMNS = String.join(", ", PostgresSinks.LOG_EVENTS.columns);

    @Test
    void storesWhatThePerRowInsertStoresAndDuplicatesOnce() throws Exception {
        List<LogEvent> events = awkwardEvents();
        List<LogEvent> withDuplicates = new ArrayList<>(events);
        withDuplicates.addAll(events.subList(0, 7)); // the same events again, within the same batch
        PostgresConfig copy = POSTGRES.freshDatabase();
        PostgresConfig insert = POSTGRES.freshDatabase();

        run(withDuplicates, PostgresSinks.logEvents(copy));
        run(events, PostgresSinks.logEventsByInsert(insert));
        run(events, PostgresSinks.logEvents(copy)); // a replay of everything

        assertThat(PostgresExtension.count(copy, "SELECT count(*) FROM log_events")).isEqualTo(events.size());
        assertThat(rows(copy)).isEqualTo(rows(insert));
        Map<String, String> messages = messages(copy);
        for (LogEvent e : events) {
            String stored = e.message == null ? null : e.message.replace('\0', '\uFFFD');
            assertThat(messages.get(e.eventId)).isEqualTo(stored);
        }
        long withAwkwardFields = events.stream()
                .filter(e -> e.fields != null && "say \"hi\"\tthen\nleave".equals(e.fields.get("quote"))).count();
        assertThat(withAwkwardFields).isPositive();
        assertThat(PostgresExtension.count(copy, "SELECT count(*) FROM log_events WHERE fields ->> 'path' = "
                + "'C:\\temp\\new' AND fields ->> 'quote' = 'say \"hi\"\tthen\nleave'"))
                .isEqualTo(withAwkwardFields);
    }

    @Test
    void batchesStreamedInManyChunksStoreEveryNewRowOnceAlsoWhenTheyMeetStoredOnes() throws Exception {
        String kilobyte = "x".repeat(1_000);
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) { // ~1.3 KB a row: a batch of 500 is sent in about ten chunks
            events.add(event(i, i + " " + kilobyte, null));
        }
        List<LogEvent> everyThird = new ArrayList<>();
        for (int i = 0; i < events.size(); i += 3) {
            everyThird.add(events.get(i));
        }
        PostgresConfig db = POSTGRES.freshDatabase();

        run(everyThird, PostgresSinks.logEvents(db)); // streamed straight in
        run(events, PostgresSinks.logEvents(db)); // every batch meets stored rows, in its first chunk and later ones

        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events.size());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events WHERE length(message) > 1000"))
                .isEqualTo(events.size());
    }

    @Test
    void aFailoverInTheMiddleOfAStreamLosesAndDuplicatesNothing() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        long total = 6_000;
        FailOnce.ROWS_STORED_AT_FAILURE.set(-1);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.setParallelism(2);
        env.enableCheckpointing(100);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1);
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(100));
        env.configure(restarts);
        env.fromSequence(1, total).uid("test-sequence").name("Sequence")
                .map(new FailOnce(total / 2, db), TypeInformation.of(LogEvent.class)).uid("test-fail-once")
                .name("Fail once")
                .sinkTo(PostgresSinks.logEvents(db)).uid("postgres-log-events").name("Postgres log_events");
        env.execute("staged copy failover test");

        assertThat(FailOnce.ROWS_STORED_AT_FAILURE.get()).as("rows committed before the failover").isPositive();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(total);
        assertThat(PostgresExtension.count(db, "SELECT count(DISTINCT source_ref) FROM log_events")).isEqualTo(total);
    }

    /** Slow enough for checkpoints to complete; throws once, in the first attempt, at event {@code failAt}. */
    static final class FailOnce extends RichMapFunction<Long, LogEvent> {
        private static final long serialVersionUID = 1L;
        static final AtomicLong ROWS_STORED_AT_FAILURE = new AtomicLong(-1);
        private final long failAt;
        private final PostgresConfig db;
        private transient boolean firstAttempt;

        FailOnce(long failAt, PostgresConfig db) {
            this.failAt = failAt;
            this.db = db;
        }

        @Override
        public void open(OpenContext context) {
            firstAttempt = getRuntimeContext().getTaskInfo().getAttemptNumber() == 0;
        }

        @Override
        public LogEvent map(Long n) throws Exception {
            if (n % 10 == 0) {
                Thread.sleep(1);
            }
            if (firstAttempt && n == failAt) {
                ROWS_STORED_AT_FAILURE.set(PostgresExtension.count(db, "SELECT count(*) FROM log_events"));
                throw new IllegalStateException("injected failure at event " + n);
            }
            return event((int) (long) n, "line " + n, null);
        }
    }

    private static void run(List<LogEvent> events, Sink<LogEvent> sink) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.setParallelism(2);
        env.fromData(events, TypeInformation.of(LogEvent.class)).uid("test-events").name("Test events")
                .sinkTo(sink).uid("postgres-log-events").name("Postgres log_events");
        env.execute("staged copy test");
    }

    /** Every value COPY's text format must escape, NULLs in every nullable column, and plain rows around them. */
    private static List<LogEvent> awkwardEvents() {
        String[] messages = {"plain", "tab\there", "new\nline", "carriage\r\nreturn", "back\\slash \\N \\.", "\\",
            "nul\0inside", "ünïcødé ✓ 😀", "{\"json\":\"in a message\"}", "", "end-of-data\n\\.\n"};
        List<LogEvent> out = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            Map<String, String> fields = new LinkedHashMap<>();
            fields.put("path", "C:\\temp\\new");
            fields.put("quote", "say \"hi\"\tthen\nleave");
            fields.put("n", Integer.toString(i));
            out.add(event(i, messages[i], i % 3 == 0 ? null : fields));
        }
        for (int i = 0; i < 300; i++) { // more than one batch (the test config's is 500) with the duplicates
            out.add(event(100 + i, "row " + i, Map.of("i", Integer.toString(i))));
        }
        LogEvent sparse = new LogEvent();
        sparse.eventId = EventIds.of("copy-test", "sparse");
        sparse.timestamp = 1_790_000_000_123L;
        sparse.ingestTime = 1_790_000_000_456L;
        sparse.sourceRef = "file:/test/sparse.log#L1";
        sparse.durationMs = Double.NaN;
        out.add(sparse);
        return out;
    }

    private static LogEvent event(int n, String message, Map<String, String> fields) {
        LogEvent e = new LogEvent();
        e.eventId = EventIds.of("copy-test", Integer.toString(n));
        e.workspaceId = "ws-" + (n % 3);
        e.timestamp = 1_790_000_000_000L + n * 1_001L;
        e.ingestTime = e.timestamp + 7;
        e.level = Level.values()[n % Level.values().length];
        e.service = "svc\t" + n;
        e.logGroup = "/aws/lambda/fn-" + n;
        e.logStream = "2026/11/23/[$LATEST]" + n;
        e.message = message;
        e.traceId = n % 2 == 0 ? "trace-" + n : null;
        e.spanId = n % 2 == 0 ? "span-" + n : null;
        e.requestId = "req-" + n;
        e.durationMs = n % 4 == 0 ? null : n * 1.25 + 1e-3;
        e.fields = fields;
        e.format = "json";
        e.source = SourceKind.values()[n % SourceKind.values().length];
        e.sourceRef = "file:/test/app.log#L" + n;
        e.routingKey = n % 5 == 0 ? null : "rk-" + n;
        return e;
    }

    /** Every column of every row as text, ordered by event id. */
    private static List<List<String>> rows(PostgresConfig db) throws Exception {
        List<List<String>> out = new ArrayList<>();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT " + ALL_COLUMNS + " FROM log_events ORDER BY event_id")) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
        }
        return out;
    }

    private static Map<String, String> messages(PostgresConfig db) throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT event_id, message FROM log_events")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }
}
