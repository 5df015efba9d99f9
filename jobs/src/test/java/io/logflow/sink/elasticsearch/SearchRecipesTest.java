package io.logflow.sink.elasticsearch;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.TestClusters;
import io.logflow.workspace.WorkspaceChange;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.logflow.sink.elasticsearch.EsTestEvents.event;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's search recipes, run as written against events the sink indexed: each hit count must equal what the
 * same condition selects from the input. Every recipe searches one workspace's alias ({@code logflow-ws-acme}), which
 * filters on the workspace and routes to its shard, so no recipe needs a workspace term of its own.
 */
class SearchRecipesTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    private static final Instant T0 = Instant.parse("2026-11-02T08:00:00Z");
    private static final String[] MESSAGES = {
        "connection refused by db-1", "user login ok", "connection was refused by db-2", "Connection Refused by cache",
        "payment declined", "timeout calling billing"};
    private static final List<LogEvent> EVENTS = new ArrayList<>();
    private static String alias;
    private static String shared;

    @BeforeAll
    static void indexEvents() throws Exception {
        String[] workspaces = {"acme", "acme-x", "globex"};
        String[] services = {"api", "worker"};
        Level[] levels = {Level.INFO, Level.WARN, Level.ERROR};
        for (int i = 0; i < 180; i++) {
            EVENTS.add(event(i, workspaces[i % 3], T0.plusSeconds(60L * i).toEpochMilli(), levels[(i / 3) % 3],
                    services[(i / 2) % 2], MESSAGES[i % MESSAGES.length], Map.of("user", "u" + (i % 5), "http.status",
                            Integer.toString(200 + 100 * (i % 4)))));
        }
        String prefix = ElasticsearchExtension.uniquePrefix();
        // The defaults, under this test's prefix: shared daily indices and one alias per workspace.
        ElasticsearchConfig es = EsTestEvents.config(prefix, Map.of(
                ElasticsearchOptions.INDEX_PATTERN.key(), prefix + "logflow-shared-<yyyy.MM.dd>",
                ElasticsearchOptions.WORKSPACE_ALIAS.key(), prefix + "logflow-ws-<workspace>",
                ElasticsearchOptions.RETENTION.key(), "3650 d"));
        List<WorkspaceChange> registrations = new ArrayList<>();
        for (String ws : workspaces) {
            registrations.add(EsTestEvents.registration(ws));
        }
        EsTestEvents.runWithRegistrations(EVENTS, registrations, es, new EsTestEvents.Collected("recipes-" + prefix));
        alias = es.aliasOf("acme"); // e.g. t3-logflow-ws-acme
        shared = es.indexNames.templatePattern();
    }

    private static long expected(Predicate<LogEvent> condition) {
        long n = EVENTS.stream().filter(e -> "acme".equals(e.workspaceId)).filter(condition).count();
        assertThat(n).as("the input has events for this recipe").isPositive();
        return n;
    }

    private static long hits(String body) throws Exception {
        return ElasticsearchExtension.request("POST", "/" + alias + "/_search", body)
                .path("hits").path("total").path("value").asLong();
    }

    @Test
    void equalsOnAFieldWithinAWorkspace() throws Exception {
        String body = "{\"track_total_hits\": true, \"query\": {\"bool\": {\"filter\": ["
                + "{\"term\": {\"level\": \"ERROR\"}},"
                + "{\"term\": {\"fields.http_status\": \"500\"}}]}}}";
        assertThat(hits(body)).isEqualTo(expected(e -> e.level == Level.ERROR && "500".equals(e.fields.get("http.status"))));
    }

    @Test
    void containsAPhraseWithinAWorkspace() throws Exception {
        // match_phrase: analysed words in order, any case; "connection was refused" is not the phrase
        String body = "{\"track_total_hits\": true, \"query\": {\"bool\": {"
                + "\"must\": [{\"match_phrase\": {\"message\": \"connection refused\"}}]}}}";
        assertThat(hits(body)).isEqualTo(expected(e -> e.message.toLowerCase().contains("connection refused")));
    }

    @Test
    void containsASubstringWithinAWorkspace() throws Exception {
        // wildcard on message.keyword: exact characters, case-sensitive, messages up to 8191 characters
        String body = "{\"track_total_hits\": true, \"query\": {\"bool\": {\"filter\": ["
                + "{\"wildcard\": {\"message.keyword\": {\"value\": \"*refused*\"}}}]}}}";
        assertThat(hits(body)).isEqualTo(expected(e -> e.message.contains("refused")));
    }

    @Test
    void timeRangeWithinAWorkspace() throws Exception {
        String body = "{\"track_total_hits\": true, \"query\": {\"bool\": {\"filter\": ["
                + "{\"range\": {\"@timestamp\": {\"gte\": \"2026-11-02T09:00:00Z\", \"lt\": \"2026-11-02T10:00:00Z\"}}}]}}}";
        long from = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();
        long to = Instant.parse("2026-11-02T10:00:00Z").toEpochMilli();
        assertThat(hits(body)).isEqualTo(expected(e -> e.timestamp >= from && e.timestamp < to));
    }

    @Test
    void allCombinedWithinAWorkspace() throws Exception {
        String body = "{\"track_total_hits\": true, \"query\": {\"bool\": {"
                + "\"filter\": ["
                + "{\"term\": {\"service\": \"api\"}},"
                + "{\"range\": {\"@timestamp\": {\"gte\": \"2026-11-02T08:30:00Z\", \"lt\": \"2026-11-02T10:30:00Z\"}}}],"
                + "\"must\": [{\"match_phrase\": {\"message\": \"connection refused\"}}]}},"
                + "\"sort\": [{\"@timestamp\": \"desc\"}]}";
        long from = Instant.parse("2026-11-02T08:30:00Z").toEpochMilli();
        long to = Instant.parse("2026-11-02T10:30:00Z").toEpochMilli();
        assertThat(hits(body)).isEqualTo(expected(e -> "api".equals(e.service) && e.timestamp >= from
                && e.timestamp < to && e.message.toLowerCase().contains("connection refused")));
    }

    @Test
    void aliasHoldsItsWorkspaceOnlyWhileTheSharedIndicesHoldEveryWorkspace() throws Exception {
        // acme and acme-x share the day's index; acme's alias keeps acme-x (and globex) out
        String matchAll = "{\"track_total_hits\": true, \"query\": {\"match_all\": {}}}";
        long acme = EVENTS.stream().filter(e -> "acme".equals(e.workspaceId)).count();
        assertThat(hits(matchAll)).isEqualTo(acme);
        assertThat(ElasticsearchExtension.request("POST", "/" + shared + "/_search", matchAll)
                .path("hits").path("total").path("value").asLong()).isEqualTo(EVENTS.size());
        String others = "{\"track_total_hits\": true, \"query\": {\"bool\": {\"must_not\": "
                + "[{\"term\": {\"workspaceId\": \"acme\"}}]}}}";
        assertThat(hits(others)).isZero();
    }
}
