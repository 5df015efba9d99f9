package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.model.Failure;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.Storable;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.TestClusters;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.flink.runtime.minicluster.MiniCluster;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batches of hostile events, not sanitised beforehand, mixed with good ones, through the real Elasticsearch sink on
 * a MiniCluster against the real test node: the job never fails, every good event is indexed under its id, and every
 * event is either indexed or an {@code es_rejected} failure (those larger than {@code elasticsearch.bulk-max-size}).
 */
class ElasticsearchSinkPropertiesTest {
    private static final long DAY1 = 1_793_610_000_000L;
    private static final int BULK_MAX_BYTES = 1 << 20;
    private static final List<String> NASTY = List.of("", " ", ".", "..", "_", "__", "._", "a", "a.b", "a.b.c", "a_b",
            "\u0000", "a\u0000b", "\uD800", "\uDC00", "x\uDBFF", "\uDFFFy", "\uD83D\uDE00", "\uD83D", "\uFFFE",
            "\uFFFF", "\u202e", "\u2066rtl\u2069", "\u0001\u0008\u001b\u007f", "\\u0000", "\\ud800", "\"", "\\",
            "\n\r\t", "{\"a\":1}", "_id", "_source", "fields", "@timestamp", "k".repeat(300), " ".repeat(60_000));

    private static MiniCluster flink;

    @BeforeContainer
    static void start() throws Exception {
        new ElasticsearchExtension().beforeAll(null);
        flink = TestClusters.startAsContext(2);
    }

    @AfterContainer
    static void stop() throws Exception {
        TestClusters.stopContext(flink);
    }

    @Property(tries = 20, shrinking = ShrinkingMode.OFF)
    void everyEventIsIndexedOrRejectedAndNoneFailsTheJob(@ForAll("batches") List<LogEvent> generated)
            throws Exception {
        List<LogEvent> events = new ArrayList<>();
        List<LogEvent> good = new ArrayList<>();
        for (int i = 0; i < generated.size(); i++) {
            LogEvent e = generated.get(i);
            e.sourceRef = "file:/property/app.log#L" + i;
            if (e.eventId == null) { // a good event
                e.eventId = "good-" + i;
                good.add(e);
            } else {
                e.eventId = e.eventId + "#" + i; // unique, hostile or not
            }
            events.add(e);
        }
        Set<String> tooLarge = events.stream().filter(e -> EventDocuments.toJson(e).length > BULK_MAX_BYTES)
                .map(e -> e.sourceRef).collect(Collectors.toSet());
        String prefix = ElasticsearchExtension.uniquePrefix();
        // No timed flush (the end of input flushes): a timed flush that fires while the writer closes waits for the
        // lock close() holds, and Elasticsearch's BulkProcessor then takes 20 s to give up on its scheduler.
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of("elasticsearch.bulk-max-size", "1 mb",
                "elasticsearch.bulk-max-actions", "7", "elasticsearch.backoff-max-retries", "1",
                "elasticsearch.bulk-flush-interval", "1 h"));
        EsTestEvents.Collected rejected = new EsTestEvents.Collected(prefix);
        try {
            EsTestEvents.run(events, es, rejected, false); // fails the test if the job fails

            List<Failure> failures = rejected.failures();
            assertThat(failures).allSatisfy(f -> assertThat(f.reason).isEqualTo("es_rejected"));
            assertThat(failures.stream().map(f -> f.sourceRef).collect(Collectors.toSet())).isEqualTo(tooLarge);
            assertThat(ElasticsearchExtension.count(prefix + "*", null)).isEqualTo(events.size() - tooLarge.size());
            for (LogEvent e : good) {
                JsonNode doc = ElasticsearchExtension.request("GET", "/" + es.indexNames.index(e.workspaceId,
                        e.timestamp) + "/_doc/" + URLEncoder.encode(e.eventId, StandardCharsets.UTF_8), null);
                assertThat(doc.path("found").asBoolean()).as(e.eventId).isTrue();
                assertThat(doc.path("_source").path("message").asText()).isEqualTo(e.message);
            }
            JsonNode all = ElasticsearchExtension.request("POST", "/" + prefix + "*/_search",
                    "{\"size\":100,\"query\":{\"match_all\":{}}}");
            for (JsonNode hit : all.path("hits").path("hits")) {
                assertStorable(hit.path("_source"));
            }
        } finally {
            ElasticsearchExtension.request("DELETE", "/" + prefix + "*", null); // shards are a budget
            ElasticsearchExtension.request("DELETE", "/_index_template/" + es.templateName, null);
        }
    }

    private static void assertStorable(JsonNode node) {
        if (node.isTextual()) {
            assertThat(Storable.isStorable(node.asText())).as(node.asText()).isTrue();
        }
        node.fields().forEachRemaining(f -> {
            assertThat(Storable.isStorable(f.getKey())).as(f.getKey()).isTrue();
            assertStorable(f.getValue());
        });
    }

    @Provide
    Arbitrary<List<LogEvent>> batches() {
        return Arbitraries.frequencyOf(
                        net.jqwik.api.Tuple.of(1, good()),
                        net.jqwik.api.Tuple.of(1, hostile()))
                .list().ofMinSize(1).ofMaxSize(12);
    }

    private static Arbitrary<String> nasty() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.of(NASTY)),
                net.jqwik.api.Tuple.of(3, Arbitraries.strings().all().ofMaxLength(12)),
                net.jqwik.api.Tuple.of(1, Arbitraries.strings().withChars('\u0000', '\uD800', '\uDFFF', '.', 'a')
                        .ofMaxLength(6)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(600_000, 1 << 20).map("v"::repeat)));
    }

    private static Arbitrary<LogEvent> good() {
        return Combinators.combine(Arbitraries.integers().between(0, 86_399_999),
                        Arbitraries.strings().alpha().numeric().withChars(' ', '.').ofMaxLength(40),
                        Arbitraries.maps(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                                Arbitraries.strings().alpha().ofMaxLength(12)).ofMaxSize(4),
                        Arbitraries.of("acme", "globex"))
                .as((offset, message, fields, workspace) -> {
                    LogEvent e = EsTestEvents.event(0, workspace, DAY1 + offset, Level.INFO, "api", message, fields);
                    e.eventId = null; // marks it good; the property gives it its id
                    return e;
                });
    }

    private static Arbitrary<LogEvent> hostile() {
        Arbitrary<Map<String, String>> fields = Arbitraries.maps(nasty(), nasty()).ofMaxSize(6)
                .map(HashMap::new);
        return Combinators.combine(nasty(), nasty(), fields,
                        Arbitraries.of("acme", "acme\u0000", "\uD800", "", " "),
                        Arbitraries.of(DAY1, DAY1 + 86_400_000L, Long.MAX_VALUE, Long.MIN_VALUE, 0L),
                        Arbitraries.of("", "i".repeat(600), "\uD83D\uDE00".repeat(200), "id\u0000", "\uDC00", "ok"))
                .as((message, service, map, workspace, ts, id) -> {
                    LogEvent e = EsTestEvents.event(0, workspace, ts, Level.ERROR, service, message, null);
                    e.fields = map;
                    e.traceId = message;
                    e.eventId = id;
                    return e;
                });
    }
}
