package io.logflow.sink.dlq;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.config.ConfigException;
import io.logflow.config.KafkaOptions;
import io.logflow.config.Settings;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.SourceKind;
import io.logflow.pipeline.LogSinks;
import io.logflow.pipeline.RejectedDocuments;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.sink.postgres.PostgresLogSinks;
import io.logflow.sink.postgres.PostgresRejectedDocuments;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Failures to the Kafka dead-letter topic (and Postgres) on a MiniCluster against a real Kafka and PostgreSQL. */
class DlqSinkPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final KafkaExtension KAFKA = new KafkaExtension();
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final ObjectMapper JSON = new ObjectMapper();

    private static Failure failure(int n, String reason, byte[] raw, int maxRaw) {
        Failure f = Failure.ofPayload(FailureStage.PARSE, reason, "detail " + n, SourceKind.UPLOAD,
                "file:/test/app.log#L" + n, raw, maxRaw, 1_793_610_000_000L + n);
        f.workspaceId = n % 2 == 0 ? "acme" : null;
        return f;
    }

    private static DlqConfig config(String topic) {
        return DlqConfig.from(Settings.of(Map.of(KafkaOptions.BOOTSTRAP_SERVERS.key(),
                KafkaExtension.bootstrapServers(), DlqOptions.ENABLED.key(), "true", DlqOptions.TOPIC.key(), topic),
                List.of(KafkaOptions.BOOTSTRAP_SERVERS, DlqOptions.ENABLED, DlqOptions.TOPIC)));
    }

    @Test
    void everyFailureReachesTheTopicKeyedByItsIdWithItsRawBytesAndARerunRepeatsOnlyKnownKeys() throws Exception {
        String topic = KafkaExtension.uniqueTopic("dlq");
        KafkaExtension.createTopic(topic, 2);
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            byte[] raw = ("line " + i + " \u00e9\u0000\u00ff").getBytes(StandardCharsets.UTF_8);
            failures.add(failure(i, i % 3 == 0 ? "invalid_json" : "line_too_long", raw, 8));
        }
        failures.add(failure(500, "read_error", null, 8));
        Map<String, Failure> byId = failures.stream().collect(Collectors.toMap(f -> f.failureId, Function.identity()));
        assertThat(byId).hasSize(failures.size());

        PostgresConfig db = POSTGRES.freshDatabase();
        run(failures, new DlqLogSinks(new PostgresLogSinks(db), config(topic)));

        List<ConsumerRecord<String, String>> records = KafkaExtension.readAll(topic);
        assertThat(records).hasSize(failures.size());
        assertThat(records.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(byId.keySet());
        for (ConsumerRecord<String, String> r : records) {
            Failure f = byId.get(r.key());
            JsonNode v = JSON.readTree(r.value());
            assertThat(v.get("failureId").asText()).isEqualTo(f.failureId);
            assertThat(v.get("stage").asText()).isEqualTo("PARSE");
            assertThat(v.get("reason").asText()).isEqualTo(f.reason);
            assertThat(v.get("sourceRef").asText()).isEqualTo(f.sourceRef);
            assertThat(v.path("workspaceId").asText(null)).isEqualTo(f.workspaceId);
            assertThat(v.get("rawSize").asInt()).isEqualTo(f.rawSize);
            assertThat(v.get("time").asText()).isEqualTo(java.time.Instant.ofEpochMilli(f.time).toString());
            assertThat(r.timestamp()).isEqualTo(f.time);
            if (f.raw == null) {
                assertThat(v.has("raw")).isFalse();
            } else {
                assertThat(Base64.getDecoder().decode(v.get("raw").asText())).isEqualTo(f.raw).hasSize(8);
            }
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(failures.size());

        run(failures, new DlqLogSinks(new PostgresLogSinks(db), config(topic)));
        List<ConsumerRecord<String, String>> again = KafkaExtension.readAll(topic);
        // at-least-once: a replay writes the same keys again, never new ones
        assertThat(again).hasSize(2 * failures.size());
        assertThat(again.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(byId.keySet());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(failures.size());
    }

    @Test
    void failureLargerThanAKafkaRecordTravelsWithoutItsRecordAndTheJobFinishes() throws Exception {
        // The producer refuses a record over max.request.size (1 MB) with RecordTooLargeException, which would fail
        // the job and, on every replay, again.
        String topic = KafkaExtension.uniqueTopic("dlq");
        KafkaExtension.createTopic(topic, 1);
        String line = "x".repeat(3 << 19); // a 1.5 MB line, kept whole in the record
        Failure big = failure(1, "unknown_workspace", line.getBytes(StandardCharsets.UTF_8), 8192);
        big.record = "{\"message\":\"" + line + "\"}";
        Failure small = failure(2, "invalid_json", "{".getBytes(StandardCharsets.UTF_8), 8192);
        small.record = "{\"message\":\"{\"}";

        PostgresConfig db = POSTGRES.freshDatabase();
        run(List.of(big, small), new DlqLogSinks(new PostgresLogSinks(db), config(topic)));

        Map<String, JsonNode> byKey = new HashMap<>();
        for (ConsumerRecord<String, String> r : KafkaExtension.readAll(topic)) {
            byKey.put(r.key(), JSON.readTree(r.value()));
        }
        assertThat(byKey).containsOnlyKeys(big.failureId, small.failureId);
        JsonNode bigJson = byKey.get(big.failureId);
        assertThat(bigJson.has("record")).isFalse();
        assertThat(bigJson.get("recordOmitted").asBoolean()).isTrue();
        assertThat(bigJson.get("recordSize").asLong()).isEqualTo(big.record.length());
        assertThat(bigJson.get("rawSize").asInt()).isEqualTo(line.length());
        assertThat(byKey.get(small.failureId).get("record").get("message").asText()).isEqualTo("{");
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isEqualTo(2);
    }

    @Test
    void elasticsearchRejectionsReachPostgresAndTheTopic() throws Exception {
        String topic = KafkaExtension.uniqueTopic("dlq");
        KafkaExtension.createTopic(topic, 1);
        PostgresConfig db = POSTGRES.freshDatabase();
        Failure rejected = Failure.ofPayload(FailureStage.SINK, "es_rejected", "Limit of total fields [1000]",
                SourceKind.KAFKA, "kafka:logs/0/42", "{\"eventId\":\"x\"}".getBytes(StandardCharsets.UTF_8), 8192, 1L);
        RejectedDocuments both = RejectedDocuments.all(new PostgresRejectedDocuments(db),
                new KafkaRejectedDocuments(config(topic)));
        both = org.apache.flink.util.InstantiationUtil.clone(both); // it travels with the sink
        both.record(List.of(rejected));
        both.record(List.of(rejected)); // a replay: the same id again
        assertThat(PostgresExtension.counts(db, "SELECT stage || '/' || reason, count(*) FROM ingest_failures GROUP BY 1"))
                .containsExactly(Map.entry("SINK/es_rejected", 1L));
        List<ConsumerRecord<String, String>> records = KafkaExtension.readAll(topic);
        assertThat(records).extracting(ConsumerRecord::key).containsExactly(rejected.failureId, rejected.failureId);
        assertThat(JSON.readTree(records.get(0).value()).get("reason").asText()).isEqualTo("es_rejected");
    }

    @Test
    void enabledDlqNeedsTheBrokersAndAValidTopic() {
        List<org.apache.flink.configuration.ConfigOption<?>> known =
                List.of(KafkaOptions.BOOTSTRAP_SERVERS, DlqOptions.ENABLED, DlqOptions.TOPIC);
        assertThat(DlqConfig.isEnabled(Settings.of(Map.of(), known))).isFalse();
        assertThat(DlqConfig.from(Settings.of(Map.of("kafka.bootstrap-servers", "k1:9092, k2:9092"), known)))
                .satisfies(c -> {
                    assertThat(c.bootstrapServers).isEqualTo("k1:9092,k2:9092");
                    assertThat(c.topic).isEqualTo("logflow.dlq");
                });
        assertThatThrownBy(() -> DlqConfig.from(Settings.of(Map.of("dlq.kafka.enabled", "true"), known)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kafka.bootstrap-servers: required");
        Map<String, String> badTopic = new HashMap<>(Map.of("kafka.bootstrap-servers", "k1:9092", "dlq.kafka.topic", "a b"));
        assertThatThrownBy(() -> DlqConfig.from(Settings.of(badTopic, known)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("dlq.kafka.topic: ");
        assertThatThrownBy(() -> DlqConfig.from(Settings.of(Map.of("kafka.bootstrap-servers", "k1"), known)))
                .isInstanceOf(ConfigException.class).hasMessageStartingWith("kafka.bootstrap-servers: expected");
    }

    private static void run(List<Failure> failures, LogSinks sinks) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.setParallelism(2);
        env.enableCheckpointing(1000);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(restarts);
        DataStream<Failure> stream = env.fromData(failures, TypeInformation.of(Failure.class))
                .uid("test-failures").name("Test failures");
        sinks.failures(stream);
        env.execute("dlq sink test");
    }
}
