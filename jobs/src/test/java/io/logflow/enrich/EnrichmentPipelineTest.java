package io.logflow.enrich;

import io.logflow.model.EventIds;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresSinks;
import io.logflow.sink.postgres.WorkspaceTable;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import io.logflow.workspace.WorkspaceConfig;
import io.logflow.workspace.WorkspaceJson;
import io.logflow.workspace.WorkspaceRegistrations;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.state.KeyGroupRangeAssignment;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * Enrichment on a MiniCluster between a real Kafka (registrations and events) and a real PostgreSQL: events that come
 * before their registration are released after it, a never-registered key fails after the timeout, a delete stops
 * routing, a validation line verifies exactly its workspace and a forged one nothing; every event is accounted for.
 *
 * <p>The phases are ordered without sleeping: events reach a subtask in topic order, registrations in topic order,
 * and a key's events being stored proves what its subtask has seen. The "marker" and "probe" keys are picked so that
 * each of the two enrich subtasks gets one.
 */
class EnrichmentPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    static final String ACCOUNT = "123456789012";
    static final int PARALLELISM = 2;
    static final int MAX_PARALLELISM = 128;
    static final Duration BUFFER_TIMEOUT = Duration.ofSeconds(2);
    static final Duration WAIT = Duration.ofSeconds(60);

    private final List<ProducerRecord<String, String>> events = new ArrayList<>();
    private String eventTopic;
    private int eventsProduced;

    @Test
    void registrationsRouteReleaseFailAndVerifyWithEveryEventAccountedFor() throws Exception {
        String registrationTopic = KafkaExtension.uniqueTopic("workspaces");
        eventTopic = KafkaExtension.uniqueTopic("events");
        KafkaExtension.createCompactedTopic(registrationTopic, 1);
        KafkaExtension.createTopic(eventTopic, 1);
        PostgresConfig db = POSTGRES.freshDatabase();

        Workspace acme = workspace("acme", "/acme/*");
        Workspace doomed = workspace("doomed", "/doomed/*");
        Workspace late = workspace("late", "/late/*");
        Workspace probe = workspace("probe", "/probe/*");
        KafkaExtension.produce(registrationTopic, List.of(put(registrationTopic, acme), put(registrationTopic, doomed)));

        // Phase 1, all in the topic before the job starts. Keys of 'late' and 'probe' are not registered yet.
        List<String> lateKeys = keysOnEverySubtask("/late/");
        List<String> probeKeys = keysOnEverySubtask("/probe/");
        List<String> doomedKeys = keysOnEverySubtask("/doomed/");
        List<String> acmeMarkers = keysOnEverySubtask("/acme/marker-");
        int lateEvents = 0;
        for (String key : lateKeys) {
            event(key, "late one");
            event(key, "late two");
            lateEvents += 2;
        }
        for (String key : probeKeys) {
            event(key, "probe");
        }
        event("/never/registered", "never one");
        event("/never/registered", "never two");
        int neverEvents = 2;
        int doomedBefore = 0;
        for (String key : doomedKeys) {
            event(key, "before delete");
            doomedBefore++;
        }
        String nonce = "n0nce-for-acme-42";
        event("/acme/app", "2026-11-23T08:00:00Z INFO logflow-validation workspace=acme nonce=" + nonce);
        event("/acme/app", "logflow-validation workspace=doomed nonce=forged-by-acme-1"); // forged: acme's group
        int acmeEvents = 0;
        for (int i = 0; i < 3; i++) {
            event("/acme/app", "acme event " + i);
            acmeEvents++;
        }
        for (String key : acmeMarkers) {
            event(key, "marker");
            acmeEvents++;
        }
        flushEvents();

        WorkspaceConfig config = new WorkspaceConfig(KafkaExtension.bootstrapServers(), registrationTopic, null, 100,
                BUFFER_TIMEOUT);
        JobClient job = startJob(config, db);
        try {
            // Every subtask stored its acme marker: it has seen all of phase 1, so the late and probe events wait.
            long phase1Stored = acmeEvents + doomedBefore;
            await("acme and doomed events stored", () -> count(db, "SELECT count(*) FROM log_events") == phase1Stored);
            assertThat(count(db, "SELECT count(*) FROM log_events WHERE workspace_id IN ('late', 'probe')")).isZero();

            // Phase 2: register late, delete doomed, register probe - in this order on one partition.
            KafkaExtension.produce(registrationTopic, List.of(put(registrationTopic, late),
                    new ProducerRecord<>(registrationTopic, "doomed", null), put(registrationTopic, probe)));
            // A probe event stored on each subtask proves that subtask applied the delete before it.
            long released = lateEvents + probeKeys.size();
            await("late and probe events released", () -> count(db, "SELECT count(*) FROM log_events "
                    + "WHERE workspace_id IN ('late', 'probe')") == released);

            // Phase 3: doomed's log groups after its deletion.
            int doomedAfter = 0;
            for (String key : doomedKeys) {
                event(key, "after delete");
                doomedAfter++;
            }
            flushEvents();
            int expectedFailures = neverEvents + doomedAfter + 1 /* forged validation */;
            await("unknown and mismatched events failed", () -> count(db, "SELECT count(*) FROM ingest_failures")
                    == expectedFailures);
            await("doomed's row deleted", () -> count(db, "SELECT count(*) FROM workspaces WHERE id = 'doomed'") == 0);

            assertThat(PostgresExtension.counts(db, "SELECT workspace_id, count(*) FROM log_events GROUP BY 1 ORDER BY 1"))
                    .containsExactly(entry("acme", (long) acmeEvents), entry("doomed", (long) doomedBefore),
                            entry("late", (long) lateEvents), entry("probe", (long) probeKeys.size()));
            assertThat(PostgresExtension.counts(db, "SELECT reason || ':' || coalesce(workspace_id, '-'), count(*) "
                    + "FROM ingest_failures GROUP BY 1 ORDER BY 1")).containsExactly(
                    entry("unknown_workspace:-", (long) (neverEvents + doomedAfter)),
                    entry("validation_mismatch:acme", 1L));
            assertThat(count(db, "SELECT count(*) FROM ingest_failures WHERE stage <> 'ENRICH'")).isZero();
            assertThat(count(db, "SELECT count(*) FROM log_events WHERE message LIKE '%logflow-validation%'")).isZero();
            assertThat(count(db, "SELECT count(*) FROM log_events WHERE message = 'late one' AND workspace_id = 'late'"))
                    .isEqualTo(lateKeys.size());

            // Verification: exactly acme, with its nonce and log group; the forged line verified nobody.
            await("acme verified", () -> count(db, "SELECT count(*) FROM workspaces WHERE verified_at IS NOT NULL") == 1);
            try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT id, verification_nonce, verified_log_group, name, "
                            + "aws_account_id, log_groups FROM workspaces WHERE verified_at IS NOT NULL")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("acme");
                assertThat(rs.getString(2)).isEqualTo(nonce);
                assertThat(rs.getString(3)).isEqualTo("/acme/app");
                assertThat(rs.getString(4)).isEqualTo("acme");
                assertThat(rs.getString(5)).isEqualTo(ACCOUNT);
                assertThat((String[]) rs.getArray(6).getArray()).containsExactly("/acme/*");
            }
            assertThat(PostgresExtension.counts(db, "SELECT id, count(*) FROM workspaces GROUP BY 1 ORDER BY 1"))
                    .containsOnlyKeys("acme", "late", "probe");

            // Every event is in exactly one place: stored, failed, or a verification.
            long stored = count(db, "SELECT count(*) FROM log_events");
            long failed = count(db, "SELECT count(*) FROM ingest_failures");
            long verifications = 1;
            assertThat(stored + failed + verifications).isEqualTo(eventsProduced);
        } finally {
            job.cancel().get();
        }
    }

    private JobClient startJob(WorkspaceConfig config, PostgresConfig db) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.setParallelism(PARALLELISM);
        env.setMaxParallelism(MAX_PARALLELISM);
        env.enableCheckpointing(1_000);

        KafkaSource<LogEvent> source = KafkaSource.<LogEvent>builder()
                .setBootstrapServers(KafkaExtension.bootstrapServers())
                .setTopics(eventTopic)
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(new TestEvents())
                .setProperty("commit.offsets.on.checkpoint", "false")
                .build();
        DataStream<LogEvent> events = env
                .fromSource(source, WatermarkStrategy.noWatermarks(), "Test events", TypeInformation.of(LogEvent.class))
                .uid("test-events").name("Test events").setParallelism(1);
        DataStream<WorkspaceChange> registrations = WorkspaceRegistrations.stream(env, config);

        Enrichment.Result enriched = Enrichment.apply(events, registrations, config, 1024);

        enriched.events.sinkTo(PostgresSinks.logEvents(db)).uid("postgres-log-events").name("Postgres log_events");
        enriched.failures.sinkTo(PostgresSinks.failures(db)).uid("postgres-failures").name("Postgres failures");
        WorkspaceTable.write(registrations, enriched.validations, db);
        return env.executeAsync("enrichment pipeline test");
    }

    /** Kafka records {@code key = log group, value = message} as CloudWatch-like events of {@link #ACCOUNT}. */
    static final class TestEvents implements KafkaRecordDeserializationSchema<LogEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<LogEvent> out) {
            LogEvent e = new LogEvent();
            e.source = SourceKind.KAFKA;
            e.logGroup = new String(record.key(), StandardCharsets.UTF_8);
            e.routingKey = ACCOUNT + "/" + e.logGroup;
            e.message = new String(record.value(), StandardCharsets.UTF_8);
            e.sourceRef = "kafka:" + record.topic() + "/" + record.partition() + "@" + record.offset() + "[0]";
            e.eventId = EventIds.of("test", e.sourceRef);
            e.timestamp = record.timestamp();
            e.ingestTime = System.currentTimeMillis();
            out.collect(e);
        }

        @Override
        public TypeInformation<LogEvent> getProducedType() {
            return TypeInformation.of(LogEvent.class);
        }
    }

    /** One log group under {@code prefix} per enrich subtask (by Flink's key-group assignment of the routing key). */
    static List<String> keysOnEverySubtask(String prefix) {
        List<String> keys = new ArrayList<>();
        for (int subtask = 0; subtask < PARALLELISM; subtask++) {
            for (int i = 0; ; i++) {
                String logGroup = prefix + i;
                if (KeyGroupRangeAssignment.assignKeyToParallelOperator(ACCOUNT + "/" + logGroup, MAX_PARALLELISM,
                        PARALLELISM) == subtask) {
                    keys.add(logGroup);
                    break;
                }
            }
        }
        return keys;
    }

    private void event(String logGroup, String message) {
        events.add(new ProducerRecord<>(eventTopic, logGroup, message));
    }

    private void flushEvents() throws Exception {
        KafkaExtension.produce(eventTopic, events);
        eventsProduced += events.size();
        events.clear();
    }

    private static ProducerRecord<String, String> put(String topic, Workspace w) {
        return new ProducerRecord<>(topic, w.id, WorkspaceJson.toJson(w));
    }

    private static Workspace workspace(String id, String... logGroups) {
        return new Workspace(id, id, ACCOUNT, List.of(logGroups), List.of());
    }

    private static long count(PostgresConfig db, String sql) throws SQLException {
        return PostgresExtension.count(db, sql);
    }

    private static void await(String what, Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.call()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }
}
