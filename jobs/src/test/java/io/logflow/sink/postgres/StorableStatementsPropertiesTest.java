package io.logflow.sink.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.EventIds;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;
import io.logflow.model.UploadStatus;
import io.logflow.pipeline.EventRecords;
import io.logflow.pipeline.StorableJson;
import io.logflow.testing.HostileText;
import io.logflow.testing.PostgresExtension;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writers that cannot set a row aside (flink-connector-jdbc's sink fails the whole batch, for ever) bind only
 * storable values: hostile failures and upload statuses, straight from their statement builders into the real
 * tables, are all stored; and every JSON the job hands to {@code jsonb} is accepted.
 */
class StorableStatementsPropertiesTest {
    private static final PostgresExtension POSTGRES = new PostgresExtension();
    private static PostgresConfig db;

    @BeforeContainer
    static void database() throws Exception {
        db = POSTGRES.freshDatabase();
    }

    @Property(tries = 30)
    void hostileFailuresAreAllStored(@ForAll("failures") List<Failure> failures) throws Exception {
        execute("TRUNCATE ingest_failures");
        Map<String, Boolean> firstHasRecord = new java.util.HashMap<>(); // of equal ids, the first is kept
        // as the JDBC sink writes them: one batch, rewritten into multi-row INSERTs
        try (Connection c = DriverManager.getConnection(PostgresSinks.withBatchRewrite(db.url), db.user, db.password);
                PreparedStatement ps = c.prepareStatement(PostgresSinks.INSERT_FAILURE)) {
            PostgresSinks.FailureStatement statement = new PostgresSinks.FailureStatement();
            for (Failure f : failures) {
                statement.accept(ps, f);
                ps.addBatch();
                firstHasRecord.putIfAbsent(PostgresSinks.FailureStatement.failureId(f), f.record != null);
            }
            ps.executeBatch();
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures"))
                .isEqualTo(firstHasRecord.size());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures WHERE record IS NOT NULL"))
                .isEqualTo(firstHasRecord.values().stream().filter(kept -> kept).count());
    }

    @Property(tries = 30)
    void hostileUploadStatusesAreAllStored(@ForAll("uploads") List<UploadStatus> uploads) throws Exception {
        execute("TRUNCATE uploads");
        Set<String> keys = new HashSet<>();
        try (Connection c = PostgresExtension.connect(db);
                PreparedStatement ps = c.prepareStatement(PostgresSinks.UPSERT_UPLOAD)) {
            PostgresSinks.UploadStatement statement = new PostgresSinks.UploadStatement();
            for (UploadStatus u : uploads) {
                statement.accept(ps, u);
                ps.addBatch();
                keys.add(PostgresSinks.uploadPath(u.path) + "\n" + PostgresSinks.uploadVersion(u.version));
            }
            ps.executeBatch();
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM uploads")).isEqualTo(keys.size());
    }

    @Property(tries = 50)
    void everyJsonTheJobWritesIsAcceptedByJsonb(@ForAll("texts") String a, @ForAll("texts") String b)
            throws Exception {
        Map<String, String> map = new java.util.HashMap<>();
        map.put(a == null ? "k" : a, b);
        RawLog raw = RawLog.fileLine("file:/x/" + a, "1-2", null, 7, b, 1L);
        LogEvent event = new LogEvent();
        event.message = a;
        event.fields = map;
        String unsafe = new ObjectMapper().writeValueAsString(map); // escapes NUL as \u0000, keeps lone surrogates
        List<String> jsons = List.of(StorableJson.object(map), EventRecords.rawToJson(raw), EventRecords.toJson(event),
                StorableJson.jsonb(unsafe), StorableJson.jsonb(a == null ? "" : a), StorableJson.jsonb(b == null
                        ? "{\"a\":\"\\ud800\\u0000\"}" : "{\"" + b + "\":1}"));
        try (Connection c = PostgresExtension.connect(db);
                PreparedStatement ps = c.prepareStatement("SELECT CAST(? AS jsonb)::text")) {
            for (String json : jsons) {
                ps.setString(1, json);
                try (ResultSet rs = ps.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
        }
        assertThat(EventRecords.rawFromJson(EventRecords.rawToJson(raw)).text).isEqualTo(Storable.text(b));
        assertThat(EventRecords.fromJson(EventRecords.toJson(event)).message).isEqualTo(Storable.text(a));
    }

    /** The line of the issue: a literal backslash and {@code u0000} in a JSON log line, in message and fields. */
    @Example
    void theLiteralTextOfTheNulEscapeIsStoredAsItIs() throws Exception {
        PostgresConfig fresh = POSTGRES.freshDatabase();
        LogEvent e = StoreRejectedTest.event(1, "windows path C:\\u0000dir");
        e.fields = Map.of("path", "C:\\u0000dir", "nul", "a\0b");
        try (WriterDriver w = new WriterDriver(fresh)) {
            w.writeAll(List.of(e));
        }
        assertThat(PostgresExtension.counts(fresh, "SELECT message || ' ' || (fields ->> 'path') || ' ' "
                + "|| (fields ->> 'nul'), 0 FROM log_events").keySet())
                .containsExactly("windows path C:\\u0000dir C:\\u0000dir a\uFFFDb");
    }

    @Provide
    Arbitrary<List<Failure>> failures() {
        Arbitrary<String> ids = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().map(i -> EventIds.of("f", Integer.toString(i % 5)))),
                Tuple.of(1, Arbitraries.just(null)), Tuple.of(2, HostileText.text()));
        Arbitrary<Long> times = Arbitraries.of(0L, 1_790_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE);
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(64).injectNull(0.2);
        Arbitrary<String> records = Arbitraries.oneOf(Arbitraries.just(null),
                HostileText.text(), // not JSON at all
                HostileText.text().map(s -> "{\"raw\":\"" + s + "\"}"), // raw NUL, bad escapes
                HostileText.text().map(s -> {
                    LogEvent e = new LogEvent();
                    e.message = s;
                    e.fields = s == null ? null : Map.of(s, s);
                    return EventRecords.toJson(e);
                }),
                Arbitraries.just("{\"path\":\"C:\\\\\uFFFDdir\"}"), // what the old text replace made of C:\\u0000dir
                Arbitraries.just("{\"a\":\"\\u0000\",\"\\ud800\":\"\\udc00x\"}"));
        Arbitrary<Failure> failure = Builders.withBuilder(Failure::new)
                .use(ids).in((f, s) -> set(f, () -> f.failureId = s))
                .use(Arbitraries.of(FailureStage.class).injectNull(0.1)).in((f, s) -> set(f, () -> f.stage = s))
                .use(HostileText.text()).in((f, s) -> set(f, () -> f.reason = s))
                .use(HostileText.text()).in((f, s) -> set(f, () -> f.detail = s))
                .use(Arbitraries.of(SourceKind.class).injectNull(0.2)).in((f, s) -> set(f, () -> f.source = s))
                .use(HostileText.text()).in((f, s) -> set(f, () -> f.sourceRef = s))
                .use(HostileText.text()).in((f, s) -> set(f, () -> f.workspaceId = s))
                .use(raw).in((f, b) -> set(f, () -> f.raw = b))
                .use(Arbitraries.integers()).in((f, n) -> set(f, () -> f.rawSize = n))
                .use(times).in((f, t) -> set(f, () -> f.time = t))
                .use(records).in((f, r) -> set(f, () -> f.record = r))
                .build(f -> f);
        return failure.list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<List<UploadStatus>> uploads() {
        Arbitrary<String> paths = Arbitraries.frequencyOf(Tuple.of(8, HostileText.text()),
                Tuple.of(1, Arbitraries.just("s3://b/" + "日本".repeat(3_000) + "/a.log")),
                Tuple.of(1, Arbitraries.just("s3://b/" + "日本".repeat(3_000) + "/b.log")));
        Arbitrary<String> statuses = Arbitraries.of(UploadStatus.PROCESSING, UploadStatus.DONE, UploadStatus.FAILED,
                "PENDING", "weird\0", null);
        Arbitrary<Long> counts = Arbitraries.of(0L, 1L, -1L, Long.MAX_VALUE, Long.MIN_VALUE);
        Arbitrary<UploadStatus> upload = Builders.withBuilder(UploadStatus::new)
                .use(paths).in((u, s) -> set(u, () -> u.path = s))
                .use(HostileText.text()).in((u, s) -> set(u, () -> u.version = s))
                .use(statuses).in((u, s) -> set(u, () -> u.status = s))
                .use(counts).in((u, n) -> set(u, () -> u.bytes = n))
                .use(counts).in((u, n) -> set(u, () -> u.lines = n))
                .use(counts).in((u, n) -> set(u, () -> u.failures = n))
                .use(HostileText.text()).in((u, s) -> set(u, () -> u.error = s))
                .use(Arbitraries.of(0L, 1_790_000_000_000L, Long.MAX_VALUE, Long.MIN_VALUE))
                .in((u, t) -> set(u, () -> u.time = t))
                .build(u -> u);
        return upload.list().ofMinSize(1).ofMaxSize(12);
    }

    @Provide
    Arbitrary<String> texts() {
        return HostileText.text();
    }

    private static <T> T set(T value, Runnable change) {
        change.run();
        return value;
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
