package io.logflow.source.kafka;

import io.logflow.app.JobConfig;
import io.logflow.app.LogflowJob;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.JobHistory;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The logflow topology fed by the Kafka ingest source (an in-JVM broker) into a real PostgreSQL: singles, arrays and
 * NDJSON batches land one row per object; a bad object of a batch is one failure while the rest is stored; the same
 * idempotency key sent twice is one row; an oversized record is one failure; a second run from the earliest offset
 * adds no row.
 */
class KafkaPipelineTest {
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final int MAX_RECORD_BYTES = 64 * 1024;

    @Test
    void batchesLandOneRowPerObjectBadObjectsAsFailuresAndARereadAddsNothing() throws Exception {
        String topic = KafkaExtension.uniqueTopic("ingest");
        KafkaExtension.createTopic(topic, 2);
        Input input = new Input(topic)
                .singles("ws-a", 5)
                .array("ws-a", 4)
                .array(null, 3)
                .ndjson("ws-b", 3)
                .ndjson(null, 2)
                .arrayWithOneMissingMessage("ws-b", 4)
                .idempotent("ws-a", "order-1")
                .idempotent("ws-a", "order-1") // the same key again: one row
                .oversized("ws-c");
        KafkaExtension.produce(topic, input.records);
        PostgresConfig db = POSTGRES.freshDatabase();

        runUntilStored(db, topic, "COMMITTED", "run-1", input.expectedEvents, input.failureCount());

        assertThat(count(db, "SELECT count(*) FROM log_events")).isEqualTo(input.expectedEvents);
        assertThat(count(db, "SELECT count(*) FROM log_events WHERE source = 'KAFKA'")).isEqualTo(input.expectedEvents);
        assertThat(PostgresExtension.counts(db, "SELECT reason, count(*) FROM ingest_failures GROUP BY 1 ORDER BY 1"))
                .isEqualTo(input.expectedFailures);
        assertThat(count(db, "SELECT count(*) FROM ingest_failures WHERE stage = 'SOURCE'"))
                .isEqualTo(input.failureCount());
        assertThat(count(db, "SELECT count(*) FROM log_events WHERE message = 'order order-1'")).isEqualTo(1);
        assertThat(PostgresExtension.counts(db,
                "SELECT routing_key, count(*) FROM log_events GROUP BY 1 ORDER BY 1"))
                .isEqualTo(input.expectedByRoutingKey());

        // Read everything again from the earliest offset, plus one new record per partition to know when it is done.
        List<ProducerRecord<String, String>> sentinels = List.of(
                new ProducerRecord<>(topic, 0, "ws-z", "{\"message\":\"sentinel 0\"}"),
                new ProducerRecord<>(topic, 1, "ws-z", "{\"message\":\"sentinel 1\"}"));
        KafkaExtension.produce(topic, sentinels);
        runUntilStored(db, topic, "EARLIEST", "run-2", input.expectedEvents + sentinels.size(),
                input.failureCount());

        assertThat(count(db, "SELECT count(*) FROM log_events")).isEqualTo(input.expectedEvents + sentinels.size());
        assertThat(count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(input.failureCount());
    }

    /** Runs the job until the expected rows are in Postgres, lets a little more time pass for strays, then cancels. */
    private void runUntilStored(PostgresConfig db, String topic, String startingOffsets, String groupId,
            long events, long failures) throws Exception {
        List<String> args = new ArrayList<>(List.of(PostgresExtension.jobArgs(db)));
        args.addAll(List.of("--job.parallelism", "2", "--job.checkpoint-interval", "1 s",
                "--kafka.bootstrap-servers", KafkaExtension.bootstrapServers(),
                "--workspaces.enabled", "false",
                "--ingest.kafka.topics", topic,
                "--ingest.kafka.group-id", groupId,
                "--ingest.kafka.starting-offsets", startingOffsets,
                "--ingest.kafka.max-record-bytes", MAX_RECORD_BYTES + " b"));
        JobClient client = LogflowJob.fromConfig(JobConfig.load(args.toArray(new String[0]), Map.of()))
                .executeAsync(StreamExecutionEnvironment.getExecutionEnvironment());
        try {
            JobHistory.awaitUntil(FLINK, client, TIMEOUT, "rows in Postgres",
                    () -> count(db, "SELECT count(*) FROM log_events") >= events
                            && count(db, "SELECT count(*) FROM ingest_failures") >= failures);
            Thread.sleep(1000);
        } finally {
            client.cancel().get();
        }
    }

    private static long count(PostgresConfig db, String sql) throws SQLException {
        return PostgresExtension.count(db, sql);
    }

    /** The records a test sends and what they must become. */
    private static final class Input {
        final String topic;
        final List<ProducerRecord<String, String>> records = new ArrayList<>();
        final Map<String, Long> expectedFailures = new TreeMap<>();
        final Map<String, Long> byRoutingKey = new TreeMap<>();
        final List<String> idempotencyKeys = new ArrayList<>();
        long expectedEvents;
        private int n;

        Input(String topic) {
            this.topic = topic;
        }

        Input singles(String key, int count) {
            for (int i = 0; i < count; i++) {
                send(key, event(key));
                stored(key, 1);
            }
            return this;
        }

        Input array(String key, int size) {
            send(key, objects(key, size).collect(Collectors.joining(",", "[", "]")));
            stored(key, size);
            return this;
        }

        Input ndjson(String key, int lines) {
            send(key, objects(key, lines).collect(Collectors.joining("\n", "", "\n")));
            stored(key, lines);
            return this;
        }

        Input arrayWithOneMissingMessage(String key, int size) {
            List<String> objects = objects(key, size).collect(Collectors.toList());
            objects.set(size / 2, "{\"level\":\"error\",\"note\":\"no message here\"}");
            send(key, String.join(",", objects).transform(s -> "[" + s + "]"));
            stored(key, size - 1);
            failed(KafkaRecordSplitter.MISSING_MESSAGE);
            return this;
        }

        Input idempotent(String key, String idempotencyKey) {
            send(key, "{\"message\":\"order " + idempotencyKey + "\",\"idempotencyKey\":\"" + idempotencyKey + "\"}");
            String scoped = key + "\u0000" + idempotencyKey;
            if (!idempotencyKeys.contains(scoped)) {
                idempotencyKeys.add(scoped);
                stored(key, 1);
            }
            return this;
        }

        Input oversized(String key) {
            String big = objects(key, 1).findFirst().orElseThrow().replace("\"message\":\"",
                    "\"message\":\"" + "x".repeat(MAX_RECORD_BYTES));
            assertThat(big.getBytes(StandardCharsets.UTF_8).length).isGreaterThan(MAX_RECORD_BYTES);
            send(key, big);
            failed(KafkaRecordSplitter.RECORD_TOO_LARGE);
            return this;
        }

        long failureCount() {
            return expectedFailures.values().stream().mapToLong(Long::longValue).sum();
        }

        /** Rows per routing key; objects sent without a record key carry their 'workspace' field. */
        Map<String, Long> expectedByRoutingKey() {
            return byRoutingKey;
        }

        private java.util.stream.Stream<String> objects(String key, int count) {
            return IntStream.range(0, count).mapToObj(i -> event(key));
        }

        private String event(String key) {
            int i = n++;
            String workspace = key == null ? ",\"workspace\":\"ws-field\"" : "";
            return "{\"message\":\"event " + i + "\",\"level\":\"info\",\"seq\":" + i + workspace + "}";
        }

        private void send(String key, String value) {
            records.add(new ProducerRecord<>(topic, key, value));
        }

        private void stored(String key, int count) {
            expectedEvents += count;
            byRoutingKey.merge(key == null ? "ws-field" : key, (long) count, Long::sum);
        }

        private void failed(String reason) {
            expectedFailures.merge(reason, 1L, Long::sum);
        }
    }
}
