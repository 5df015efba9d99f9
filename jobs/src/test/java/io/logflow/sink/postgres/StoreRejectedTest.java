package io.logflow.sink.postgres;

import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.pipeline.EventRecords;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rows {@code log_events} rejects whatever their text (a time beyond PostgreSQL's range, a NOT NULL column without
 * a value) are isolated as {@code store_rejected} failures beside the good rows of their batch, idempotently; a
 * transient error is retried and turns no row into a failure.
 */
class StoreRejectedTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(1);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    @Test
    void poisonRowsInTheMiddleOfABatchBecomeFailuresAndTheGoodRowsArriveAlsoOnASecondRun() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(event(i, "good " + i));
        }
        LogEvent beyondTime = event(1000, "the year 292278994");
        beyondTime.timestamp = Long.MAX_VALUE;
        LogEvent noSourceRef = event(1001, null);
        noSourceRef.sourceRef = null;
        events.add(17, beyondTime);
        events.add(29, noSourceRef);
        long good = events.size() - 2;

        for (int run = 0; run < 2; run++) { // the second run is a replay: it adds nothing
            run(events, PostgresSinks.logEvents(db));

            assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(good);
            assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events WHERE message LIKE 'good %'"))
                    .isEqualTo(good);
            assertThat(PostgresExtension.counts(db, "SELECT failure_id::text, raw_size FROM ingest_failures "
                    + "WHERE stage = 'SINK' AND reason = 'store_rejected' ORDER BY 1"))
                    .containsOnlyKeys(failureId(beyondTime), failureId(noSourceRef));
            assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(2);
        }

        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT detail, source, source_ref, workspace_id, raw, raw_size, "
                        + "record::text FROM ingest_failures WHERE failure_id = '" + failureId(beyondTime) + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).startsWith("log_events: SQLSTATE 22").contains("out of range");
            assertThat(rs.getString(2)).isEqualTo(beyondTime.source.name());
            assertThat(rs.getString(3)).isEqualTo(beyondTime.sourceRef);
            assertThat(rs.getString(4)).isEqualTo(beyondTime.workspaceId);
            assertThat(new String(rs.getBytes(5), StandardCharsets.UTF_8)).isEqualTo(beyondTime.message);
            assertThat(rs.getInt(6)).isEqualTo(beyondTime.message.length());
            assertThat(EventRecords.fromJson(rs.getString(7))).isEqualTo(beyondTime); // replayable after a fix
        }
        assertThat(PostgresExtension.counts(db, "SELECT source_ref || ' ' || substr(detail, 1, 26), 0 "
                + "FROM ingest_failures WHERE failure_id = '" + failureId(noSourceRef) + "'").keySet())
                .containsExactly("postgres:log_events/" + noSourceRef.eventId + " log_events: SQLSTATE 23502");
    }

    @Test
    void theWriterCountsRejectedRowsAndWritesTheRestOfEveryBatch() throws Exception {
        PostgresConfig db = small(POSTGRES.freshDatabase(), 10);
        List<LogEvent> events = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 35; i++) {
            LogEvent e = event(i, "line " + i);
            if (i % 7 == 3) {
                e.timestamp = Long.MIN_VALUE; // several batches with one or two rows at fault, some streamed
                bad.add(e.eventId);
            }
            events.add(e);
        }
        try (WriterDriver w = new WriterDriver(db)) {
            w.writeAll(events);
            assertThat(w.rejected.getCount()).isEqualTo(bad.size());
            assertThat(w.written.getCount()).isEqualTo(events.size() - bad.size());
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events.size() - bad.size());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures WHERE reason = 'store_rejected'"))
                .isEqualTo(bad.size());
    }

    @Test
    void withoutTheFailureTableRejectedRowsGoOnlyToTheDeadLetterTargetAndAFailingTargetFailsTheBatch()
            throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        LogEvent poison = event(1, "poison");
        poison.sourceRef = null;
        List<LogEvent> events = List.of(event(0, "good"), poison, event(2, "good too"));
        Collecting.SEEN.clear();
        Collecting topic = new Collecting();
        try (WriterDriver w = new WriterDriver(db, false, topic)) {
            w.writeAll(events);
        }
        assertThat(Collecting.SEEN).extracting(f -> f.failureId).containsExactly(failureId(poison));
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isZero();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(2);

        RejectedDocuments down = failures -> {
            throw new IOException("broker unreachable");
        };
        try (WriterDriver w = new WriterDriver(db, true, down)) {
            // the task fails and Flink replays: the rows stay where they are, and the next run records again
            assertThatThrownBy(() -> w.writeAll(events)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aConnectionKilledInTheMiddleOfABatchIsRetriedAndTurnsNoRowIntoAFailure() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        String kilobyte = "k".repeat(1_000);
        List<LogEvent> first = new ArrayList<>();
        List<LogEvent> second = new ArrayList<>();
        for (int i = 0; i < 300; i++) { // ~1.3 KB a row: the batch is streaming when its connection dies
            (i < 150 ? first : second).add(event(i, i + " " + kilobyte));
        }
        try (WriterDriver w = new WriterDriver(db)) {
            for (LogEvent e : first) {
                w.writer.write(e, null);
            }
            assertThat(terminateOtherBackends(db)).isPositive();
            w.writeAll(second);
            assertThat(w.rejected.getCount()).isZero();
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(300);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isZero();
    }

    @Test
    void anUnreachableDatabaseFailsTheTaskAfterItsRetriesAndRecordsNothing() {
        PostgresConfig nowhere = new PostgresConfig("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1",
                "postgres", "", 10, Duration.ofSeconds(1), 1);
        Collecting.SEEN.clear();
        try (WriterDriver w = new WriterDriver(nowhere, false, new Collecting())) {
            assertThatThrownBy(() -> w.writeAll(List.of(event(1, "a"), event(2, "b"))))
                    .isInstanceOf(IOException.class).hasMessageContaining("after 2 attempts");
            assertThat(w.rejected.getCount()).isZero();
        }
        assertThat(Collecting.SEEN).isEmpty();
    }

    static String failureId(LogEvent e) {
        return EventIds.of("failure", "SINK", "store_rejected", e.eventId);
    }

    static LogEvent event(int n, String message) {
        LogEvent e = new LogEvent();
        e.eventId = EventIds.of("store-rejected-test", Integer.toString(n));
        e.workspaceId = "ws-" + (n % 3);
        e.timestamp = 1_790_000_000_000L + n;
        e.ingestTime = e.timestamp + 7;
        e.level = Level.values()[n % Level.values().length];
        e.service = "svc";
        e.message = message;
        e.fields = Map.of("n", Integer.toString(n), "path", "C:\\u0000dir");
        e.format = "json";
        e.source = SourceKind.values()[n % SourceKind.values().length];
        e.sourceRef = "file:/test/app.log#L" + n;
        return e;
    }

    static PostgresConfig small(PostgresConfig db, int batchSize) {
        return new PostgresConfig(db.url, db.user, db.password, batchSize, db.flushInterval, db.maxRetries);
    }

    private static int terminateOtherBackends(PostgresConfig db) throws Exception {
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                        + "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static void run(List<LogEvent> events, org.apache.flink.api.connector.sink2.Sink<LogEvent> sink)
            throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.setParallelism(1);
        env.fromData(events, TypeInformation.of(LogEvent.class)).uid("test-events").name("Test events")
                .sinkTo(sink).uid("postgres-log-events").name("Postgres log_events");
        env.execute("store rejected test");
    }

    /** A dead-letter target that keeps what it is given (static: the sink is serialised into the task). */
    static final class Collecting implements RejectedDocuments {
        private static final long serialVersionUID = 1L;
        static final List<Failure> SEEN = new CopyOnWriteArrayList<>();

        @Override
        public void record(List<Failure> failures) {
            SEEN.addAll(failures);
        }
    }
}
