package io.logflow.sink.dlq;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.config.KafkaOptions;
import io.logflow.config.Settings;
import io.logflow.model.Failure;
import io.logflow.model.FailureStage;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;
import io.logflow.testing.KafkaExtension;
import io.logflow.testing.TestClusters;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches of hostile failures (NUL, unpaired surrogates, control characters in every string; records that are not
 * JSON; records and lines of a megabyte and more) through the real Kafka DLQ sink on a MiniCluster: the job never
 * fails, every failure arrives once under its id, and every value is valid JSON of storable text within
 * {@link FailureJson#MAX_BYTES}.
 */
class DlqSinkPropertiesTest {
    private static final ObjectMapper STRICT = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final List<String> NASTY = List.of("", "\u0000", "a\u0000b", "\uD800", "\uDC00x", "\uD83D\uDE00",
            "\uFFFE\uFFFF", "\u202e", "\u0001\u001b\u007f", "\\u0000", "\"", "\\", "\n");

    private static MiniCluster flink;

    @BeforeContainer
    static void start() throws Exception {
        new KafkaExtension().beforeAll(null);
        flink = TestClusters.startAsContext(2);
    }

    @AfterContainer
    static void stop() throws Exception {
        TestClusters.stopContext(flink);
    }

    @Property(tries = 8, shrinking = ShrinkingMode.OFF)
    void everyFailureArrivesAsBoundedValidJson(@ForAll("batches") List<Failure> generated) throws Exception {
        List<Failure> failures = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            Failure f = generated.get(i);
            f.failureId = "f" + i + "-" + f.failureId; // unique, hostile or not
            failures.add(f);
        }
        String topic = KafkaExtension.uniqueTopic("dlq-property");
        KafkaExtension.createTopic(topic, 2);

        run(failures, topic);

        List<ConsumerRecord<String, String>> records = KafkaExtension.readAll(topic);
        // keys are the ids' UTF-8 bytes, which is where a lone surrogate becomes '?'
        Set<String> keys = failures.stream()
                .map(f -> new String(f.failureId.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))
                .collect(Collectors.toSet());
        assertThat(records).hasSize(failures.size());
        assertThat(records.stream().map(ConsumerRecord::key).collect(Collectors.toSet())).isEqualTo(keys);
        Map<String, Failure> byKey = failures.stream().collect(Collectors.toMap(
                f -> new String(f.failureId.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8), f -> f));
        for (ConsumerRecord<String, String> r : records) {
            assertThat(r.value().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FailureJson.MAX_BYTES);
            JsonNode json = STRICT.readTree(r.value());
            assertStorable(json);
            Failure f = byKey.get(r.key());
            assertThat(json.get("rawSize").asInt()).isEqualTo(f.rawSize);
            if (f.record != null && f.record.length() >= FailureJson.MAX_BYTES) {
                assertThat(json.get("recordOmitted").asBoolean()).isTrue();
            }
            if (!json.has("truncated")) {
                assertThat(json.get("detail").asText()).isEqualTo(Storable.text(f.detail));
            }
        }
    }

    private static void assertStorable(JsonNode node) {
        if (node.isTextual()) {
            assertThat(Storable.isStorable(node.asText())).isTrue();
        }
        node.fields().forEachRemaining(f -> {
            assertThat(Storable.isStorable(f.getKey())).isTrue();
            assertStorable(f.getValue());
        });
        node.elements().forEachRemaining(DlqSinkPropertiesTest::assertStorable);
    }

    private static void run(List<Failure> failures, String topic) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.getConfig().disableGenericTypes();
        env.getConfig().enableObjectReuse();
        env.setParallelism(2);
        Configuration restarts = new Configuration();
        restarts.set(RestartStrategyOptions.RESTART_STRATEGY, "none");
        env.configure(restarts);
        DlqConfig config = DlqConfig.from(Settings.of(Map.of(KafkaOptions.BOOTSTRAP_SERVERS.key(),
                KafkaExtension.bootstrapServers(), DlqOptions.TOPIC.key(), topic),
                List.of(KafkaOptions.BOOTSTRAP_SERVERS, DlqOptions.ENABLED, DlqOptions.TOPIC)));
        env.fromData(failures, TypeInformation.of(Failure.class)).uid("test-failures").name("Test failures")
                .sinkTo(DlqSinks.failures(config)).uid(DlqSinks.UID).name(DlqSinks.NAME);
        env.execute("dlq property test");
    }

    @Provide
    Arbitrary<List<Failure>> batches() {
        Arbitrary<String> text = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(NASTY)),
                Tuple.of(3, Arbitraries.strings().all().ofMaxLength(16)),
                Tuple.of(1, Arbitraries.of(2000, 300_000).map(n -> "\u0000\uD800".repeat(n))));
        Arbitrary<String> record = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.just(null)),
                Tuple.of(2, text.map(t -> "{\"message\":" + STRICT.valueToTree(t) + ",\"k\\u0000\":\"\\ud800\"}")),
                Tuple.of(1, text),
                Tuple.of(1, Arbitraries.of(600_000, 1 << 20).map(n -> "{\"message\":\"" + "m".repeat(n) + "\"}")));
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        return Combinators.combine(text, text, text, record, raw, Arbitraries.of(FailureStage.values()))
                .as((id, detail, ref, rec, bytes, stage) -> {
                    Failure f = Failure.ofPayload(stage, "hostile", detail, SourceKind.KAFKA, ref, bytes, 2048,
                            1_793_610_000_000L);
                    f.failureId = id;
                    f.workspaceId = ref;
                    f.record = rec;
                    return f;
                })
                .list().ofMinSize(1).ofMaxSize(8);
    }
}
