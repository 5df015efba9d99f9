package io.logflow.sink.postgres;

import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.parse.LogFields;
import io.logflow.testing.PostgresExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * log_events and ingest_failures are partitioned by UTC day: rows land in their day's partition (or the default one
 * when their day has none), a replay adds no row even when its time is the receive time and crosses midnight,
 * retention drops exactly the expired days, and a query over a time range reads only its days.
 */
class PartitionsTest {
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    @Test
    void eventsOfSeveralDaysLandInTheirDaysPartitionsAndADaysLatePartitionTakesItsRowsFromTheDefault()
            throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<LogEvent> events = new ArrayList<>();
        Map<String, Long> expected = new HashMap<>();
        for (int d = 0; d <= Partitions.DAYS_AHEAD; d++) { // made ahead by the migration
            for (int i = 0; i < d + 2; i++) {
                events.add(event("day" + d + "-" + i, noon(today.plusDays(d)).plusSeconds(i), false));
            }
            expected.put("log_events_p" + DAY.format(today.plusDays(d)), (long) d + 2);
        }
        LocalDate old = LocalDate.of(2020, 5, 5);
        events.add(event("old-1", noon(old), false));
        events.add(event("old-2", noon(old).plusSeconds(3600), false));
        events.add(event("next-year", noon(today.plusYears(1)), false));
        expected.put("log_events_default", 3L);

        try (WriterDriver sink = new WriterDriver(db)) {
            sink.writeAll(events);
        }
        assertThat(rowsByPartition(db, "log_events")).isEqualTo(expected);

        // The partition of a day that arrived late: its rows move out of the default partition.
        assertThat(PostgresExtension.count(db, "SELECT logflow_create_partition('log_events', DATE '2020-05-05')::int"))
                .isEqualTo(1);
        expected.put("log_events_p20200505", 2L);
        expected.put("log_events_default", 1L);
        assertThat(rowsByPartition(db, "log_events")).isEqualTo(expected);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events.size());

        // Making the coming days' partitions again makes none.
        assertThat(Partitions.ensure(db)).isZero();
    }

    @Test
    void replayOfEventsTimedByTheirReceptionAcrossMidnightAddsNoRow() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        LocalDate day = LocalDate.now(ZoneOffset.UTC);
        Instant beforeMidnight = noon(day).plusSeconds(12 * 3600 - 1); // 23:59:59 UTC
        List<LogEvent> first = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            first.add(event("received-" + i, beforeMidnight, true));
        }
        for (int i = 0; i < 10; i++) {
            first.add(event("dated-" + i, noon(day), false));
        }
        first.addAll(hostile("received-hostile", beforeMidnight));
        try (WriterDriver sink = new WriterDriver(db)) {
            sink.writeAll(first);
        }
        long stored = PostgresExtension.count(db, "SELECT count(*) FROM log_events");
        assertThat(stored).isEqualTo(first.size());

        // The replay: the same ids, received again two seconds later, which is the next day; plus new events and a
        // row the table rejects (a time beyond its range), so that the batch is split.
        Instant afterMidnight = beforeMidnight.plusSeconds(2);
        List<LogEvent> replay = new ArrayList<>();
        for (LogEvent e : first) {
            boolean received = LogFields.TIMESTAMP_FROM_INGEST.equals(e.fields.get(LogFields.TIMESTAMP_SOURCE));
            LogEvent again = copy(e);
            if (received) {
                again.timestamp = afterMidnight.toEpochMilli();
                again.ingestTime = again.timestamp;
            }
            replay.add(again);
        }
        // Alone, the moved events would copy straight into the next day's partition: nothing meets a stored key.
        List<LogEvent> movedOnly = replay.stream()
                .filter(e -> LogFields.TIMESTAMP_FROM_INGEST.equals(e.fields.get(LogFields.TIMESTAMP_SOURCE)))
                .collect(java.util.stream.Collectors.toList());
        try (WriterDriver sink = new WriterDriver(db)) {
            sink.writeAll(movedOnly);
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(stored);

        replay.add(event("new-received", afterMidnight, true));
        replay.add(event("new-dated", noon(day.plusDays(1)), false));
        LogEvent beyond = event("beyond-range", afterMidnight, true);
        beyond.timestamp = Long.MAX_VALUE;
        replay.add(15, beyond);
        try (WriterDriver sink = new WriterDriver(db)) {
            sink.writeAll(replay);
            assertThat(sink.rejected.getCount()).isEqualTo(1);
        }

        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(stored + 2);
        assertThat(PostgresExtension.count(db, "SELECT count(DISTINCT event_id) FROM log_events"))
                .isEqualTo(stored + 2);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events_p" + DAY.format(day)))
                .isEqualTo(stored);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures WHERE reason = 'store_rejected'"))
                .isEqualTo(1);
    }

    @Test
    void aFailureRecordedAgainOnAnotherDayIsStoredOnce() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        Instant day1 = noon(LocalDate.now(ZoneOffset.UTC));
        Failure first = failure("f-1", day1);
        Failure again = failure("f-1", day1.plus(Duration.ofDays(1)));
        Failure other = failure("f-2", day1.plus(Duration.ofDays(1)));
        new PostgresRejectedDocuments(db).record(List.of(first));
        new PostgresRejectedDocuments(db).record(List.of(again, other));
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(2);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures_p"
                + DAY.format(LocalDate.now(ZoneOffset.UTC)))).isEqualTo(1);
    }

    @Test
    void retentionDropsExactlyThePartitionsThatEndedBeforeTheCutoff() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        LocalDate first = LocalDate.of(2026, 1, 1);
        List<LogEvent> events = new ArrayList<>();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement()) {
            for (int d = 0; d < 5; d++) {
                st.execute("SELECT logflow_create_partition('log_events', DATE '" + first.plusDays(d) + "'), "
                        + "logflow_create_partition('ingest_failures', DATE '" + first.plusDays(d) + "')");
                events.add(event("kept-or-not-" + d, noon(first.plusDays(d)), false));
            }
        }
        events.add(event("default-old", noon(LocalDate.of(2025, 12, 1)), false));
        events.add(event("default-new", noon(LocalDate.of(2026, 1, 20)), false));
        try (WriterDriver sink = new WriterDriver(db)) {
            sink.writeAll(events);
        }
        new PostgresRejectedDocuments(db).record(List.of(failure("old", noon(first)),
                failure("kept", noon(first.plusDays(4)))));

        try (java.sql.Connection c = PostgresLogin.connect(db); java.sql.Statement st = c.createStatement()) {
            st.execute("INSERT INTO log_templates (workspace_id, template_id, template, first_seen, last_seen, events) "
                    + "VALUES ('acme', 'old', 'a', '2026-01-01', '2026-01-03T11:59:59Z', 1), "
                    + "('acme', 'kept', 'b', '2026-01-01', '2026-01-03T12:00:00Z', 1)");
        }
        // 30 days before 2026-02-02T12:00Z: the first two days have ended, the third has not.
        Instant now = Instant.parse("2026-02-02T12:00:00Z");
        Instant cutoff = Partitions.cutoff(now, Duration.ofDays(30));
        assertThat(cutoff).isEqualTo(Instant.parse("2026-01-03T12:00:00Z"));
        List<String> dropped = Partitions.dropBefore(db, cutoff);

        assertThat(dropped).containsExactly("ingest_failures_p20260101", "ingest_failures_p20260102",
                "log_events_p20260101", "log_events_p20260102");
        assertThat(PostgresExtension.counts(db, "SELECT message, count(*) FROM log_events GROUP BY 1 ORDER BY 1"))
                .containsOnlyKeys("default-new", "kept-or-not-2", "kept-or-not-3", "kept-or-not-4");
        assertThat(PostgresExtension.counts(db, "SELECT source_ref, count(*) FROM ingest_failures GROUP BY 1"))
                .containsOnlyKeys("kept");
        assertThat(PostgresExtension.counts(db, "SELECT template_id, count(*) FROM log_templates GROUP BY 1"))
                .as("templates last seen before the cutoff").containsOnlyKeys("kept");
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM pg_class WHERE relname IN "
                + "('log_events_p20260103', 'log_events_p20260104', 'log_events_p20260105', "
                + "'log_events_default', 'ingest_failures_default')")).isEqualTo(5);
        assertThat(Partitions.dropBefore(db, cutoff)).isEmpty(); // nothing more at the same cutoff

        // The job's round: the coming days are there, nothing from today back to the retention is dropped.
        Partitions.Round round = new Partitions.Maintenance(db.withRetention(Duration.ofDays(1))).run(Instant.now());
        assertThat(round.created).isZero();
        assertThat(round.dropped).containsExactly("ingest_failures_p20260103", "ingest_failures_p20260104",
                "ingest_failures_p20260105", "log_events_p20260103", "log_events_p20260104", "log_events_p20260105");
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isZero();
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM pg_class WHERE relname = 'log_events_p"
                + DAY.format(LocalDate.now(ZoneOffset.UTC)) + "'")).isEqualTo(1);
    }

    @Test
    void aQueryOverOneDayReadsOnlyThatDaysPartition() throws Exception {
        PostgresConfig db = POSTGRES.freshDatabase();
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            events.add(event("explain-" + i, noon(today.plusDays(i % 3)), false));
        }
        try (WriterDriver sink = new WriterDriver(db)) {
            sink.writeAll(events);
        }
        String plan = explain(db, "SELECT count(*) FROM log_events WHERE workspace_id = 'ws-1' AND event_time >= '"
                + today.plusDays(1) + "T00:00:00Z' AND event_time < '" + today.plusDays(2) + "T00:00:00Z'");
        assertThat(plan).contains("log_events_p" + DAY.format(today.plusDays(1)))
                .doesNotContain("log_events_p" + DAY.format(today))
                .doesNotContain("log_events_p" + DAY.format(today.plusDays(2)))
                .doesNotContain("log_events_default");
        // A parameter (as from Grafana or Flink) is pruned when the query starts.
        String generic = explain(db, "SELECT count(*) FROM log_events WHERE event_time >= now() + interval '1 day' "
                + "AND event_time < now() + interval '25 hours'");
        assertThat(generic).contains("Subplans Removed");
    }

    private static String explain(PostgresConfig db, String query) throws Exception {
        StringBuilder plan = new StringBuilder();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("EXPLAIN (ANALYZE, COSTS OFF) " + query)) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }

    private static Map<String, Long> rowsByPartition(PostgresConfig db, String table) throws Exception {
        return new HashMap<>(PostgresExtension.counts(db,
                "SELECT tableoid::regclass::text, count(*) FROM " + table + " GROUP BY 1"));
    }

    static Instant noon(LocalDate day) {
        return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
    }

    /** An event of that id and time; {@code received}: it had no time of its own, its time is the receive time. */
    static LogEvent event(String id, Instant time, boolean received) {
        LogEvent e = new LogEvent();
        e.eventId = EventIds.of("partitions-test", id);
        e.workspaceId = "ws-" + Math.floorMod(id.hashCode(), 3);
        e.timestamp = time.toEpochMilli();
        e.ingestTime = e.timestamp;
        e.level = io.logflow.model.Level.INFO;
        e.service = "svc";
        e.message = id;
        e.fields = new HashMap<>();
        e.fields.put(LogFields.TIMESTAMP_SOURCE, received ? LogFields.TIMESTAMP_FROM_INGEST
                : LogFields.TIMESTAMP_FROM_SOURCE);
        e.format = "text";
        e.source = SourceKind.KAFKA;
        e.sourceRef = "kafka:test/0@" + id;
        return e;
    }

    /** Texts PostgreSQL would refuse unless sanitised: NUL raw and escaped, a lone surrogate, and 1 MB. */
    private static List<LogEvent> hostile(String id, Instant time) {
        List<LogEvent> out = new ArrayList<>();
        String[] messages = {"nul \u0000 raw", "a lone \ud800 surrogate", "the text \\u0000", "x".repeat(1 << 20)};
        for (int i = 0; i < messages.length; i++) {
            LogEvent e = event(id + "-" + i, time, true);
            e.message = messages[i];
            e.fields.put("nul", "\u0000");
            out.add(e);
        }
        return out;
    }

    private static LogEvent copy(LogEvent e) {
        LogEvent c = event("unused", Instant.ofEpochMilli(e.timestamp), false);
        c.eventId = e.eventId;
        c.workspaceId = e.workspaceId;
        c.ingestTime = e.ingestTime;
        c.message = e.message;
        c.fields = new HashMap<>(e.fields);
        c.sourceRef = e.sourceRef;
        return c;
    }

    private static Failure failure(String ref, Instant time) {
        Failure f = Failure.ofPayload(FailureStage.PARSE, "invalid_json", "detail", SourceKind.KAFKA, ref,
                "raw".getBytes(StandardCharsets.UTF_8), 8192, time.toEpochMilli());
        f.failureId = EventIds.of("failure", "partitions-test", ref);
        f.workspaceId = "ws-1";
        return f;
    }
}
