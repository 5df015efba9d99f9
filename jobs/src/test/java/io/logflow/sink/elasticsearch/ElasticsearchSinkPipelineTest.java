package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.sink.postgres.PostgresConfig;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.PostgresExtension;
import io.logflow.testing.TestClusters;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.logflow.sink.elasticsearch.EsTestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** The Elasticsearch sink on a MiniCluster against a real Elasticsearch 7 and PostgreSQL. */
class ElasticsearchSinkPipelineTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();
    @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

    private static final long DAY1 = 1_793_610_000_000L; // 2026-11-02T09:00:00Z
    private static final long DAY2 = DAY1 + 86_400_000L;
    private static final String HOSTILE = "acme,*";

    @Test
    void eventsLandInTheirWorkspaceDayIndexAndARerunOverwritesInsteadOfAdding() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of());
        String[] workspaces = {"acme", "Globex", null, HOSTILE, "../acme"};
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 230; i++) {
            String ws = workspaces[i % workspaces.length];
            long ts = (i % 3 == 0 ? DAY2 : DAY1) + i * 1000L;
            events.add(event(i, ws, ts, Level.INFO, "api", "message " + i, Map.of("user", "u" + (i % 7))));
        }
        // Values that would fix a dynamic mapping on first sight, and keys that would be a leaf in one event and an
        // object in the next: all in one index, none may be rejected.
        events.add(event(1000, "acme", DAY1, Level.ERROR, "api", "a leaf", Map.of("error", "boom", "when", "2026-11-02")));
        events.add(event(1001, "acme", DAY1, Level.ERROR, "api", "an object",
                Map.of("error.code", "E1", "when", "not a date", "count", "12")));
        events.add(event(1002, "acme", DAY1, Level.ERROR, "api", "a number", Map.of("count", "twelve", "", "blank")));
        Map<String, Long> expected = events.stream().collect(Collectors.groupingBy(
                e -> es.indexNames.index(e.workspaceId, e.timestamp), TreeMap::new, Collectors.counting()));
        assertThat(expected).hasSize(2 * workspaces.length);

        PostgresConfig db = POSTGRES.freshDatabase();
        EsTestEvents.run(events, es, db);
        assertThat(docCountsByIndex(prefix)).containsExactlyEntriesOf(expected);
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events.size());
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isZero();

        // The hostile id has an index of its own; acme's index holds acme's events only.
        String acmeDay1 = es.indexNames.index("acme", DAY1);
        long acmeDay1Events = events.stream().filter(e -> "acme".equals(e.workspaceId)
                && es.indexNames.index(e.workspaceId, e.timestamp).equals(acmeDay1)).count();
        assertThat(ElasticsearchExtension.count(acmeDay1, "{\"query\":{\"bool\":{\"must_not\":"
                + "{\"term\":{\"workspaceId\":\"acme\"}}}}}")).isZero();
        assertThat(ElasticsearchExtension.count(acmeDay1, null)).isEqualTo(acmeDay1Events);
        assertThat(es.indexNames.index(HOSTILE, DAY1)).startsWith(prefix + "logflow-acme__~").endsWith("-2026.11.02");

        // The document: _id is the event id, de-dotted fields, typed mapping from the template.
        JsonNode doc = ElasticsearchExtension.request("GET", "/" + acmeDay1 + "/_doc/" + events.get(231).eventId, null);
        assertThat(doc.path("_source").path("fields").path("error_code").asText()).isEqualTo("E1");
        assertThat(doc.path("_source").path("@timestamp").asText()).isEqualTo("2026-11-02T09:00:00Z");
        JsonNode mapping = ElasticsearchExtension.request("GET", "/" + acmeDay1 + "/_mapping", null)
                .path(acmeDay1).path("mappings").path("properties");
        assertThat(mapping.path("fields").path("properties").path("when").path("type").asText()).isEqualTo("keyword");
        assertThat(mapping.path("@timestamp").path("type").asText()).isEqualTo("date");
        assertThat(mapping.path("message").path("fields").path("keyword").path("type").asText()).isEqualTo("keyword");
        JsonNode blank = ElasticsearchExtension.request("GET", "/" + acmeDay1 + "/_doc/" + events.get(232).eventId, null);
        assertThat(blank.path("_source").path("fieldsUnindexed").path("").asText()).isEqualTo("blank");

        EsTestEvents.run(events, es, db); // the same input again: same ids, overwritten
        assertThat(docCountsByIndex(prefix)).containsExactlyEntriesOf(expected);
        JsonNode again = ElasticsearchExtension.request("GET", "/" + acmeDay1 + "/_doc/" + events.get(231).eventId, null);
        assertThat(again.path("_version").asLong()).isEqualTo(2);
    }

    @Test
    void documentElasticsearchRejectsBecomesASinkFailureAndTheJobFinishes() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        // 20 fields of our own mapping plus the fields below; one event with 60 keys passes the limit of 40
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of("elasticsearch.total-fields-limit", "40"));
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            events.add(event(i, "acme", DAY1 + i, Level.INFO, "api", "fine " + i, Map.of("user", "u" + i)));
        }
        Map<String, String> tooMany = new TreeMap<>();
        for (int k = 0; k < 60; k++) {
            tooMany.put("key" + k, "v");
        }
        LogEvent rejected = event(99, "acme", DAY1 + 99, Level.WARN, "api", "too many keys", tooMany);
        events.add(20, rejected);

        PostgresConfig db = POSTGRES.freshDatabase();
        for (int run = 1; run <= 2; run++) {
            EsTestEvents.run(events, es, db);
            assertThat(docCountsByIndex(prefix)).as("run %d", run)
                    .containsExactly(entry(es.indexNames.index("acme", DAY1), (long) events.size() - 1));
            assertThat(PostgresExtension.counts(db, "SELECT stage || '/' || reason, count(*) FROM ingest_failures "
                    + "GROUP BY 1")).as("run %d", run).containsExactly(entry("SINK/es_rejected", 1L));
        }
        try (Connection c = PostgresExtension.connect(db); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT source_ref, workspace_id, source, detail, "
                        + "convert_from(raw, 'UTF8'), raw_size FROM ingest_failures")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo(rejected.sourceRef);
            assertThat(rs.getString(2)).isEqualTo("acme");
            assertThat(rs.getString(3)).isEqualTo("UPLOAD");
            assertThat(rs.getString(4)).contains("Limit of total fields [40]").contains(rejected.eventId);
            assertThat(rs.getString(5)).contains("\"eventId\":\"" + rejected.eventId + "\"").contains("\"key59\":\"v\"");
            assertThat(rs.getInt(6)).isEqualTo(EventDocuments.toJson(rejected).length);
        }
        assertThat(PostgresExtension.count(db, "SELECT count(*) FROM log_events")).isEqualTo(events.size());
    }

    @Test
    void closedIndexFailsTheJobInsteadOfTurningEventsIntoFailures() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of("elasticsearch.backoff-max-retries", "1"));
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            events.add(event(i, "acme", DAY1 + i, Level.INFO, "api", "m" + i, null));
        }
        PostgresConfig db = POSTGRES.freshDatabase();
        EsTestEvents.run(events, es, db);
        String index = es.indexNames.index("acme", DAY1);
        ElasticsearchExtension.request("POST", "/" + index + "/_close", null);
        try {
            assertThatThrownBy(() -> EsTestEvents.run(events, es, db))
                    .hasStackTraceContaining("index_closed_exception");
            assertThat(PostgresExtension.count(db, "SELECT count(*) FROM ingest_failures")).isZero();
        } finally {
            ElasticsearchExtension.request("POST", "/" + index + "/_open", null);
        }
    }

    /** Document count of every index with {@code prefix}. */
    private static Map<String, Long> docCountsByIndex(String prefix) throws Exception {
        JsonNode indices = ElasticsearchExtension.request("GET", "/_cat/indices/" + prefix + "*?format=json&h=index,"
                + "docs.count", null);
        Map<String, Long> out = new TreeMap<>();
        for (JsonNode index : indices) {
            out.put(index.get("index").asText(), index.get("docs.count").asLong());
        }
        return out;
    }
}
