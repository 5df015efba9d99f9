package io.logflow.sink.postgres;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.EventIds;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;
import io.logflow.pipeline.StorableJson;
import io.logflow.testing.HostileText;
import io.logflow.testing.PostgresExtension;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile events, not sanitised beforehand, mixed with good ones, through the event sink's real writer into a real
 * PostgreSQL: the writer never throws, every good event is stored, and every event is either a stored row (with its
 * text made storable, nothing else changed) or a {@code store_rejected} failure, the latter only for events no
 * sanitising can store (a time beyond the range, no source reference, an indexed value too large for the index).
 */
class HostileEventsPropertiesTest {
    private static final PostgresExtension POSTGRES = new PostgresExtension();
    private static final ObjectMapper JSON = new ObjectMapper(StorableJson.factory());
    private static final AtomicInteger RUNS = new AtomicInteger();
    /** PostgreSQL refuses an index row over ~2700 bytes; values below this always fit. */
    private static final int SURELY_INDEXABLE_BYTES = 2_000;
    private static PostgresConfig db;

    @BeforeContainer
    static void database() throws Exception {
        db = StoreRejectedTest.small(POSTGRES.freshDatabase(), 16); // several batches a try, some split
    }

    @Property(tries = 30)
    void everyEventIsStoredOrAStoreRejectedFailureAndEveryGoodOneIsStored(
            @ForAll("mixed") List<LogEvent> events) throws Exception {
        String run = Integer.toString(RUNS.incrementAndGet());
        Set<String> good = new HashSet<>();
        Set<String> surelyStorable = new HashSet<>();
        for (int i = 0; i < events.size(); i++) {
            LogEvent e = events.get(i);
            e.eventId = EventIds.of("hostile", run, Integer.toString(i));
            if ("good".equals(e.format)) {
                good.add(e.eventId);
            }
            if (surelyStorable(e)) {
                surelyStorable.add(e.eventId);
            }
        }
        execute("TRUNCATE log_events, ingest_failures");

        try (WriterDriver w = new WriterDriver(db)) {
            w.writeAll(events); // must not throw

            Map<String, String[]> stored = stored();
            Map<String, String> rejected = rejected();
            assertThat(stored.size() + rejected.size()).as("stored + rejected = input").isEqualTo(events.size());
            assertThat(stored.keySet()).containsAll(good).containsAll(surelyStorable);
            assertThat(w.rejected.getCount()).isEqualTo(rejected.size());
            assertThat(w.written.getCount()).isEqualTo(stored.size());
            for (LogEvent e : events) {
                String[] row = stored.get(e.eventId);
                if (row == null) {
                    assertThat(rejected).containsKey(StoreRejectedTest.failureId(e));
                    assertThat(rejected.get(StoreRejectedTest.failureId(e))).startsWith("log_events: SQLSTATE ");
                    continue;
                }
                assertThat(row[0]).isEqualTo(Storable.text(e.message));
                assertThat(row[1]).isEqualTo(Storable.text(e.workspaceId));
                assertThat(row[2]).isEqualTo(Storable.text(e.traceId));
                assertThat(row[3] == null ? null : JSON.readValue(row[3], new TypeReference<Map<String, String>>() {}))
                        .isEqualTo(storedFields(e.fields));
            }
        }
    }

    /** What no sanitising can store: a time outside 0001..9999, no source reference, an over-long indexed value. */
    private static boolean surelyStorable(LogEvent e) {
        return inYears1To9999(e.timestamp) && inYears1To9999(e.ingestTime) && e.sourceRef != null
                && utf8(e.workspaceId) < SURELY_INDEXABLE_BYTES && utf8(e.traceId) < SURELY_INDEXABLE_BYTES;
    }

    private static boolean inYears1To9999(long t) {
        return t >= PostgresSinks.MIN_TIME && t <= PostgresSinks.MAX_TIME;
    }

    private static int utf8(String s) {
        return s == null ? 0 : Storable.text(s).getBytes(StandardCharsets.UTF_8).length;
    }

    /** jsonb keeps the last of equal keys; a null key is written as the empty key. */
    private static Map<String, String> storedFields(Map<String, String> fields) {
        if (fields == null || fields.isEmpty()) {
            return null;
        }
        Map<String, String> out = new HashMap<>();
        fields.forEach((k, v) -> out.put(k == null ? "" : Storable.text(k), Storable.text(v)));
        return out;
    }

    @Provide
    Arbitrary<List<LogEvent>> mixed() {
        return Arbitraries.frequencyOf(Tuple.of(2, goodEvent()), Tuple.of(3, hostileEvent()))
                .list().ofMinSize(1).ofMaxSize(30);
    }

    private static Arbitrary<LogEvent> goodEvent() {
        Arbitrary<String> plain = Arbitraries.strings().alpha().numeric().withChars(' ', '-', '/').ofMaxLength(30);
        return Builders.withBuilder(HostileEventsPropertiesTest::base)
                .use(plain).in((e, s) -> with(e, () -> e.message = "good " + s))
                .use(plain).in((e, s) -> with(e, () -> e.fields = Map.of("k", s, "path", "C:\\u0000dir")))
                .build(e -> with(e, () -> e.format = "good"));
    }

    private static Arbitrary<LogEvent> hostileEvent() {
        Arbitrary<Long> times = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(0, 4_000_000_000_000L)),
                Tuple.of(1, Arbitraries.of(Long.MAX_VALUE, Long.MIN_VALUE, 253_402_300_800_000L, -62_135_596_800_001L,
                        PostgresSinks.MAX_TIME, PostgresSinks.MIN_TIME)));
        Arbitrary<Double> durations = Arbitraries.of(null, Double.NaN, Double.POSITIVE_INFINITY, -0.0,
                Double.MAX_VALUE, Double.MIN_VALUE, 12.5);
        return Builders.withBuilder(HostileEventsPropertiesTest::base)
                .use(text()).in((e, s) -> with(e, () -> e.message = s))
                .use(text()).in((e, s) -> with(e, () -> e.workspaceId = s))
                .use(text()).in((e, s) -> with(e, () -> e.service = s))
                .use(text()).in((e, s) -> with(e, () -> e.logGroup = s))
                .use(text()).in((e, s) -> with(e, () -> e.logStream = s))
                .use(text()).in((e, s) -> with(e, () -> e.traceId = s))
                .use(text()).in((e, s) -> with(e, () -> e.spanId = s))
                .use(text()).in((e, s) -> with(e, () -> e.requestId = s))
                .use(text()).in((e, s) -> with(e, () -> e.routingKey = s))
                .use(Arbitraries.frequencyOf(Tuple.of(9, text()), Tuple.of(1, Arbitraries.just(null))))
                .in((e, s) -> with(e, () -> e.sourceRef = s == null ? null : "ref " + s))
                .use(text()).in((e, s) -> with(e, () -> e.format = s))
                .use(times).in((e, t) -> with(e, () -> e.timestamp = t))
                .use(times).in((e, t) -> with(e, () -> e.ingestTime = t))
                .use(durations).in((e, d) -> with(e, () -> e.durationMs = d))
                .use(Arbitraries.of(Level.class).injectNull(0.2)).in((e, l) -> with(e, () -> e.level = l))
                .use(Arbitraries.of(SourceKind.class).injectNull(0.2)).in((e, k) -> with(e, () -> e.source = k))
                .use(fields()).in((e, f) -> with(e, () -> e.fields = f))
                .build(e -> e);
    }

    private static Arbitrary<Map<String, String>> fields() {
        Arbitrary<String> keys = Arbitraries.frequencyOf(
                Tuple.of(6, text()), Tuple.of(1, Arbitraries.just("")), Tuple.of(1, Arbitraries.just(null)),
                Tuple.of(1, Arbitraries.just("k".repeat(100_000) + "\0")));
        Arbitrary<Map<String, String>> maps = Arbitraries.integers().between(0, 6).flatMap(n -> Combine.entries(
                keys, text(), n));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(null)), Tuple.of(6, maps));
    }

    private static Arbitrary<String> text() {
        return HostileText.text();
    }

    private static LogEvent base() {
        LogEvent e = new LogEvent();
        e.workspaceId = "ws-good";
        e.timestamp = 1_790_000_000_000L;
        e.ingestTime = 1_790_000_000_100L;
        e.level = Level.INFO;
        e.source = SourceKind.KAFKA;
        e.sourceRef = "kafka:topic/0@1";
        return e;
    }

    private static LogEvent with(LogEvent e, Runnable change) {
        change.run();
        return e;
    }

    private static Map<String, String[]> stored() throws Exception {
        Map<String, String[]> out = new HashMap<>();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT event_id, message, workspace_id, trace_id, fields::text "
                        + "FROM log_events")) {
            while (rs.next()) {
                out.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3), rs.getString(4),
                    rs.getString(5)});
            }
        }
        return out;
    }

    private static Map<String, String> rejected() throws Exception {
        Map<String, String> out = new LinkedHashMap<>();
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT failure_id, detail FROM ingest_failures "
                        + "WHERE stage = 'SINK' AND reason = 'store_rejected'")) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getString(2));
            }
        }
        return out;
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    /** Maps of {@code n} entries; keys may repeat (as equal after sanitising) and be null. */
    static final class Combine {
        static Arbitrary<Map<String, String>> entries(Arbitrary<String> keys, Arbitrary<String> values, int n) {
            return net.jqwik.api.Combinators.combine(keys.list().ofSize(n), values.list().ofSize(n)).as((ks, vs) -> {
                Map<String, String> m = new HashMap<>();
                for (int i = 0; i < n; i++) {
                    m.put(ks.get(i), vs.get(i));
                }
                return m;
            });
        }
    }
}
