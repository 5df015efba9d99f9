package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static io.logflow.sink.elasticsearch.EsTestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events no parser should produce, through the real Elasticsearch sink on a MiniCluster against a real node: none of
 * them may fail the job; each is indexed or becomes an {@code es_rejected} failure, and the good events beside them
 * arrive.
 */
class ElasticsearchHostileEventsTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    private static final long DAY1 = 1_793_610_000_000L; // 2026-11-02T09:00:00Z
    private static final String MB = "x".repeat(1 << 20);

    /** Named hostile events, each a change to an otherwise good event. */
    private static Map<String, Consumer<LogEvent>> hostileCases() {
        Map<String, Consumer<LogEvent>> cases = new LinkedHashMap<>();
        cases.put("nul and lone surrogates in the message", e -> e.message = "a\u0000b\uD800c\uDC00d\uD83D");
        cases.put("nul and lone surrogates in other top-level strings", e -> {
            e.service = "svc\u0000";
            e.logGroup = "\uDFFF";
            e.traceId = "\uD800\uD800";
            e.format = "\u0000";
        });
        cases.put("nul and lone surrogates in keys and values", e -> e.fields = map("k\u0000", "v\u0000",
                "k\uD800", "v\uDC00", "\uDBFF", "\uD83D\uDE00", "k\uFFFD", "collides with k\\u0000 once sanitised"));
        cases.put("empty, blank and null keys", e -> {
            e.fields = map("", "empty", " ", "blank", "\u3000\t", "ideographic space");
            e.fields.put(null, "null key");
        });
        cases.put("keys made of dots and underscores", e -> e.fields = map(".", "a", "..", "b", "...", "c", "_", "d",
                "_id", "e", "_source", "f", "__", "g", "._.", "h"));
        cases.put("a key that is a prefix path of another", e -> e.fields = map("a", "leaf", "a.b", "child",
                "a.b.c", "grandchild", "a_b", "same as a.b once de-dotted"));
        cases.put("a 1 MB value", e -> e.fields = map("big", MB));
        cases.put("a 1 MB message", e -> e.message = MB);
        cases.put("a 100,000-character key", e -> e.fields = map("k".repeat(100_000), "v"));
        cases.put("a 100,000-character blank key", e -> e.fields = map(" ".repeat(100_000), "v"));
        cases.put("long keys equal in their first 200 characters", e -> e.fields = map("k".repeat(100_000), "1",
                "k".repeat(100_001), "2", "k".repeat(100_002), "3"));
        cases.put("control characters, bidi overrides, non-characters", e -> {
            e.message = "\u0001\u0008\u001b[31m\u007f\u202e\u2066\uFFFE\uFFFF";
            e.fields = map("\u202e\u0007", "\uFFFF", "\\u0000", "\\u0000 literally");
        });
        cases.put("an event id of 600 characters", e -> e.eventId = "i".repeat(600));
        cases.put("an event id of 200 emoji (800 bytes)", e -> e.eventId = "\uD83D\uDE00".repeat(200));
        cases.put("an empty event id", e -> e.eventId = "");
        cases.put("an event id with NUL and a lone surrogate", e -> e.eventId = "id\u0000\uD800");
        cases.put("the largest timestamp", e -> e.timestamp = Long.MAX_VALUE);
        cases.put("the smallest timestamp", e -> e.timestamp = Long.MIN_VALUE);
        cases.put("a workspace id with NUL", e -> e.workspaceId = "acme\u0000");
        cases.put("NaN and infinite duration", e -> e.durationMs = Double.NaN);
        return cases;
    }

    @Test
    void hostileEventsAreIndexedSanitisedAndTheJobFinishes() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of());
        List<LogEvent> events = new ArrayList<>();
        Map<String, LogEvent> hostile = new LinkedHashMap<>();
        int n = 0;
        for (Map.Entry<String, Consumer<LogEvent>> c : hostileCases().entrySet()) {
            events.add(event(n, "acme", DAY1 + n, Level.INFO, "api", "good " + n, Map.of("user", "u" + n)));
            n++;
            LogEvent e = event(n, "acme", DAY1 + n, Level.WARN, "api", c.getKey(), Map.of("case", c.getKey()));
            c.getValue().accept(e);
            hostile.put(c.getKey(), e);
            events.add(e);
            n++;
        }
        EsTestEvents.Collected rejected = new EsTestEvents.Collected(prefix);

        EsTestEvents.run(events, es, rejected);

        assertThat(rejected.failures()).isEmpty();
        assertThat(ElasticsearchExtension.count(prefix + "*", null)).isEqualTo(events.size());
        for (LogEvent e : events) {
            JsonNode doc = get(es, e);
            assertThat(doc.path("found").asBoolean()).as("%s", e.message.length() > 80 ? "1 MB" : e.message).isTrue();
        }
        JsonNode nul = get(es, hostile.get("nul and lone surrogates in the message")).path("_source");
        assertThat(nul.path("message").asText()).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd\uFFFD");
        JsonNode keys = get(es, hostile.get("nul and lone surrogates in keys and values")).path("_source");
        assertThat(keys.path("fields").path("k\uFFFD").asText()).isIn("v\uFFFD", "collides with k\\u0000 once sanitised");
        assertThat(keys.path("fields").path("\uFFFD").asText()).isEqualTo("\uD83D\uDE00");
        JsonNode prefixPath = get(es, hostile.get("a key that is a prefix path of another")).path("_source");
        assertThat(prefixPath.path("fields").path("a").asText()).isEqualTo("leaf");
        assertThat(prefixPath.path("fields").path("a_b_c").asText()).isEqualTo("grandchild");
        JsonNode longKeys = get(es, hostile.get("long keys equal in their first 200 characters")).path("_source");
        assertThat(longKeys.path("fields").path("k".repeat(200)).isTextual()).isTrue();
        assertThat(longKeys.path("fieldsUnindexed").size()).isEqualTo(2);
        JsonNode longId = get(es, hostile.get("an event id of 600 characters"));
        assertThat(longId.path("_id").asText()).isEqualTo(LogEventEmitter.documentId(hostile.get(
                "an event id of 600 characters"))).hasSizeLessThan(100);
        assertThat(longId.path("_source").path("eventId").asText()).hasSize(600);

        EsTestEvents.run(events, es, rejected); // again: every id is deterministic, so nothing is added
        assertThat(ElasticsearchExtension.count(prefix + "*", null)).isEqualTo(events.size());
    }

    @Test
    void documentLargerThanTheBulkSizeBecomesAFailureAndTheRestArrive() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of("elasticsearch.bulk-max-size", "1 mb"));
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            events.add(event(i, "acme", DAY1 + i, Level.INFO, "api", "fine " + i, null));
        }
        LogEvent tooLarge = event(99, "acme", DAY1, Level.INFO, "api", MB, null);
        events.add(10, tooLarge);
        EsTestEvents.Collected rejected = new EsTestEvents.Collected(prefix);

        EsTestEvents.run(events, es, rejected);

        assertThat(ElasticsearchExtension.count(prefix + "*", null)).isEqualTo(events.size() - 1);
        assertThat(rejected.failures()).singleElement().satisfies(f -> {
            assertThat(f.reason).isEqualTo("es_rejected");
            assertThat(f.sourceRef).isEqualTo(tooLarge.sourceRef);
            assertThat(f.workspaceId).isEqualTo("acme");
            assertThat(f.detail).contains("document_too_large", "elasticsearch.bulk-max-size");
            assertThat(f.rawSize).isEqualTo(EventDocuments.toJson(tooLarge).length);
        });
    }

    @Test
    void stringTheClientCannotReEncodeIsIsolatedInsteadOfFailingTheBulk() throws Exception {
        // The REST client re-parses every document (Jackson: strings up to 20,000,000 characters) and throws for the
        // whole bulk before sending anything.
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of("elasticsearch.bulk-max-size", "100 mb",
                "elasticsearch.backoff-max-retries", "1"));
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            events.add(event(i, "acme", DAY1 + i, Level.INFO, "api", "fine " + i, null));
        }
        LogEvent huge = event(99, "acme", DAY1, Level.INFO, "api", "y".repeat(20_000_001), null);
        events.add(7, huge);
        EsTestEvents.Collected rejected = new EsTestEvents.Collected(prefix);

        EsTestEvents.run(events, es, rejected);

        assertThat(ElasticsearchExtension.count(prefix + "*", null)).isEqualTo(events.size() - 1);
        assertThat(rejected.failures()).singleElement().satisfies(f -> {
            assertThat(f.sourceRef).isEqualTo(huge.sourceRef);
            assertThat(f.detail).contains("request_refused", "20000000");
        });
    }

    @Test
    void wholeRequestRefusedWith413IsSplitUntilTheDocumentAtFaultStandsAlone() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        try (BodyLimitProxy proxy = new BodyLimitProxy(ElasticsearchExtension.url(), 1 << 20)) {
            ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of("elasticsearch.hosts", proxy.url(),
                    "elasticsearch.bulk-max-size", "5 mb", "elasticsearch.backoff-max-retries", "1"));
            List<LogEvent> events = new ArrayList<>();
            String third = "z".repeat(300_000);
            for (int i = 0; i < 12; i++) {
                events.add(event(i, "acme", DAY1 + i, Level.INFO, "api", i + third, null));
            }
            LogEvent overLimit = event(99, "acme", DAY1, Level.INFO, "api", "w".repeat(1_200_000), null);
            events.add(5, overLimit);
            EsTestEvents.Collected rejected = new EsTestEvents.Collected(prefix);

            EsTestEvents.run(events, es, rejected);

            assertThat(proxy.refused()).as("bulks answered 413").isGreaterThan(1);
            assertThat(ElasticsearchExtension.count(prefix + "*", null)).isEqualTo(events.size() - 1);
            assertThat(rejected.failures()).singleElement().satisfies(f -> {
                assertThat(f.sourceRef).isEqualTo(overLimit.sourceRef);
                assertThat(f.detail).contains("HTTP 413");
            });
        }
    }

    private static JsonNode get(ElasticsearchConfig es, LogEvent e) throws Exception {
        String index = es.indexNames.index(e.workspaceId, e.timestamp);
        return ElasticsearchExtension.request("GET", "/" + index + "/_doc/"
                + java.net.URLEncoder.encode(LogEventEmitter.documentId(e), java.nio.charset.StandardCharsets.UTF_8)
                        .replace("+", "%20"), null);
    }

    private static Map<String, String> map(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
