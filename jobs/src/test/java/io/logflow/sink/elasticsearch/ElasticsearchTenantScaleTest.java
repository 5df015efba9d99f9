package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.testing.TestClusters;
import io.logflow.workspace.WorkspaceChange;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.elasticsearch.client.ResponseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.logflow.sink.elasticsearch.EsTestEvents.event;
import static io.logflow.sink.elasticsearch.EsTestEvents.registration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Elasticsearch at tenant scale on the real test node: thousands of workspaces share a bounded number of shards, each
 * workspace is searchable through its own alias, a replay adds nothing, and old indices go after their retention.
 */
class ElasticsearchTenantScaleTest {
    @RegisterExtension static final MiniClusterExtension FLINK = TestClusters.miniCluster(2);
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    private static final long DAY1 = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;

    private static ElasticsearchConfig config(String prefix, Map<String, String> extra) {
        Map<String, String> values = new HashMap<>();
        values.put(ElasticsearchOptions.INDEX_PATTERN.key(), prefix + "logflow-shared-<yyyy.MM.dd>");
        values.put(ElasticsearchOptions.DEDICATED_INDEX_PATTERN.key(), prefix + "logflow-dedicated-<workspace>-<yyyy.MM.dd>");
        values.put(ElasticsearchOptions.WORKSPACE_ALIAS.key(), prefix + "logflow-ws-<workspace>");
        values.put(ElasticsearchOptions.BULK_MAX_ACTIONS.key(), "2000");
        values.put(ElasticsearchOptions.BULK_MAX_SIZE.key(), "10 mb");
        values.putAll(extra);
        return EsTestEvents.config(prefix, values);
    }

    private static String indices(ElasticsearchConfig es) {
        return es.indexNames.templatePattern() + "," + es.dedicatedIndexNames.templatePattern();
    }

    @Test
    void twoThousandWorkspacesOverThreeDaysShareFewShardsAndEachIsSearchableThroughItsAlias() throws Exception {
        int workspaces = 2000;
        int days = 3;
        int eventsPerWorkspaceDay = 2;
        int shards = 2;
        String prefix = ElasticsearchExtension.uniquePrefix();
        String big = "ws-big"; // named large tenants with indices of their own, one id the start of the other
        String bigEu = "ws-big-eu";
        ElasticsearchConfig es = config(prefix, Map.of(
                ElasticsearchOptions.SHARDS.key(), Integer.toString(shards),
                ElasticsearchOptions.DEDICATED_WORKSPACES.key(), big + "=90 d," + bigEu,
                ElasticsearchOptions.RETENTION.key(), "3650 d")); // the test days are in the past; keep them

        List<String> ids = new ArrayList<>();
        for (int w = 0; w < workspaces - 2; w++) {
            ids.add(String.format("ws-%04d", w));
        }
        ids.add(big);
        ids.add(bigEu);
        List<LogEvent> events = new ArrayList<>();
        int n = 0;
        for (int d = 0; d < days; d++) {
            for (String id : ids) {
                for (int k = 0; k < eventsPerWorkspaceDay; k++) {
                    events.add(event(n++, id, DAY1 + d * DAY + k * 1000L, Level.INFO, "api",
                            "event " + k + " of " + id, Map.of("k", Integer.toString(k))));
                }
            }
        }
        List<WorkspaceChange> registrations = new ArrayList<>();
        ids.forEach(id -> registrations.add(registration(id)));
        registrations.add(registration("ws-gone"));
        registrations.add(WorkspaceChange.delete("ws-gone"));

        EsTestEvents.Collected rejected = new EsTestEvents.Collected("scale-" + prefix);
        long started = System.nanoTime();
        EsTestEvents.runWithRegistrations(events, registrations, es, rejected);
        long firstRunMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(rejected.failures()).isEmpty();

        // Every event exactly once: as many documents as events, and no event id twice.
        assertThat(ElasticsearchExtension.count(indices(es), null)).isEqualTo(events.size());
        assertThat(duplicateEventIds(es)).isZero();

        // Shards grow with days, not workspaces: days x shards for the shared indices, the same for each dedicated one.
        JsonNode shardRows = ElasticsearchExtension.request("GET", "/_cat/shards/" + indices(es) + "?format=json", null);
        int bound = days * shards * (1 + es.dedicated.size());
        System.out.printf("%d workspaces x %d days, %d events: %d shards (bound %d; one index per workspace-day would "
                + "be %d indices); first run %d ms%n", workspaces, days, events.size(), shardRows.size(), bound,
                workspaces * days, firstRunMillis);
        assertThat(shardRows.size()).isEqualTo(bound).isLessThan(50);

        // One workspace's alias returns its documents only, and searches one shard of each shared index (its routing),
        // not all of them, and none of the dedicated tenants' indices.
        String acme = "ws-0042";
        String alias = es.aliasOf(acme);
        assertThat(alias).isEqualTo(prefix + "logflow-ws-ws-0042");
        long acmeEvents = events.stream().filter(e -> acme.equals(e.workspaceId)).count();
        JsonNode all = ElasticsearchExtension.request("POST", "/" + alias + "/_search",
                "{\"track_total_hits\": true, \"size\": 100}");
        assertThat(all.path("hits").path("total").path("value").asLong()).isEqualTo(acmeEvents);
        all.path("hits").path("hits").forEach(h ->
                assertThat(h.path("_source").path("workspaceId").asText()).isEqualTo(acme));
        assertThat(all.path("_shards").path("total").asInt()).as("one shard per shared index")
                .isEqualTo(days).isLessThan(shardRows.size());
        List<String> sharedIndices = indexNames(es.indexNames.templatePattern());
        assertThat(sharedIndices).hasSize(days);
        assertThat(aliasIndices(alias)).containsExactlyInAnyOrderElementsOf(sharedIndices);
        assertThat(ElasticsearchExtension.count(alias, "{\"query\": {\"bool\": {\"must_not\": "
                + "{\"term\": {\"workspaceId\": \"" + acme + "\"}}}}}")).isZero();

        // A dedicated tenant's documents are in its own indices, and its alias finds them there and only there (not
        // in the shared indices, nor in those of the tenant whose id starts with its own).
        for (String tenant : List.of(big, bigEu)) {
            long tenantEvents = events.stream().filter(e -> tenant.equals(e.workspaceId)).count();
            List<String> own = new ArrayList<>();
            for (int d = 0; d < days; d++) {
                own.add(es.dedicatedIndexNames.index(tenant, DAY1 + d * DAY));
            }
            assertThat(ElasticsearchExtension.count(String.join(",", own), null)).isEqualTo(tenantEvents);
            assertThat(aliasIndices(es.aliasOf(tenant))).as(tenant).containsExactlyInAnyOrderElementsOf(own);
            JsonNode hits = ElasticsearchExtension.request("POST", "/" + es.aliasOf(tenant) + "/_search",
                    "{\"track_total_hits\": true, \"size\": 0}");
            assertThat(hits.path("hits").path("total").path("value").asLong()).isEqualTo(tenantEvents);
            assertThat(hits.path("_shards").path("total").asInt()).as("its own days' shards")
                    .isEqualTo(days * shards);
            assertThat(ElasticsearchExtension.count(es.indexNames.templatePattern(), "{\"query\": {\"term\": "
                    + "{\"workspaceId\": \"" + tenant + "\"}}}")).isZero();
        }

        // A deleted workspace has no alias.
        assertThatThrownBy(() -> ElasticsearchExtension.request("GET", "/_alias/" + es.aliasOf("ws-gone"), null))
                .isInstanceOf(ResponseException.class).hasMessageContaining("404");

        // A replay of the same events (registrations again too) adds nothing: same index, routing and _id.
        EsTestEvents.runWithRegistrations(events, registrations, es, rejected);
        assertThat(ElasticsearchExtension.count(indices(es), null)).isEqualTo(events.size());
        assertThat(duplicateEventIds(es)).isZero();
        LogEvent first = events.get(0);
        JsonNode doc = ElasticsearchExtension.request("GET", "/" + es.indexNames.index(first.workspaceId,
                first.timestamp) + "/_doc/" + first.eventId + "?routing=" + first.workspaceId, null);
        assertThat(doc.path("_version").asLong()).isEqualTo(2);
        assertThat(ElasticsearchExtension.count(alias, null)).isEqualTo(acmeEvents);
    }

    @Test
    void aWorkspaceThatBecomesDedicatedIsSearchedInItsOwnIndicesAndOnlyTheSharedOnesHoldingItsOlderEvents()
            throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        String grower = "grower";
        ElasticsearchConfig before = config(prefix, Map.of());
        List<LogEvent> sharedEra = List.of(
                event(1, grower, DAY1, Level.INFO, "api", "while shared", null),
                event(2, "acme", DAY1 + DAY, Level.INFO, "api", "another tenant's day", null));
        EsTestEvents.runWithRegistrations(sharedEra, List.of(registration(grower), registration("acme")), before,
                new EsTestEvents.Collected("grower1-" + prefix));
        String alias = before.aliasOf(grower);
        assertThat(aliasIndices(alias)).as("shared: every shared index").containsExactlyInAnyOrder(
                before.indexNames.index(grower, DAY1), before.indexNames.index("acme", DAY1 + DAY));

        ElasticsearchConfig after = config(prefix, Map.of(ElasticsearchOptions.DEDICATED_WORKSPACES.key(), grower));
        List<LogEvent> dedicatedEra = List.of(
                event(3, grower, DAY1 + 2 * DAY, Level.INFO, "api", "now dedicated", null),
                event(4, "acme", DAY1 + 2 * DAY, Level.INFO, "api", "a shared day without grower", null));
        EsTestEvents.runWithRegistrations(dedicatedEra, List.of(registration(grower), registration("acme")), after,
                new EsTestEvents.Collected("grower2-" + prefix));

        String oldShared = after.indexNames.index(grower, DAY1);
        String own = after.dedicatedIndexNames.index(grower, DAY1 + 2 * DAY);
        assertThat(aliasIndices(alias)).containsExactlyInAnyOrder(oldShared, own);
        assertThat(ElasticsearchExtension.count(alias, null)).isEqualTo(2);
        JsonNode onOldShared = ElasticsearchExtension.request("GET", "/" + oldShared + "/_alias/" + alias, null);
        assertThat(onOldShared.path(oldShared).path("aliases").path(alias).path("index_routing").asText())
                .as("routed on the shared index").isEqualTo(grower);
        // A shared index created from now on does not get the alias, the next day of the dedicated tenant does.
        EsTestEvents.runWithRegistrations(List.of(
                        event(5, "acme", DAY1 + 3 * DAY, Level.INFO, "api", "a new shared day", null),
                        event(6, grower, DAY1 + 3 * DAY, Level.INFO, "api", "a new day of its own", null)),
                List.of(registration("acme")), after, new EsTestEvents.Collected("grower3-" + prefix));
        assertThat(aliasIndices(alias)).containsExactlyInAnyOrder(oldShared, own,
                after.dedicatedIndexNames.index(grower, DAY1 + 3 * DAY));
        assertThat(aliasIndices(after.aliasOf("acme"))).doesNotContain(own)
                .contains(after.indexNames.index("acme", DAY1 + 3 * DAY));
    }

    /** The indices {@code alias} is on. */
    private static List<String> aliasIndices(String alias) throws Exception {
        List<String> out = new ArrayList<>();
        ElasticsearchExtension.request("GET", "/_alias/" + alias, null).fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> indexNames(String pattern) throws Exception {
        List<String> names = new ArrayList<>();
        ElasticsearchExtension.request("GET", "/_cat/indices/" + pattern + "?format=json&h=index", null)
                .forEach(row -> names.add(row.path("index").asText()));
        return names;
    }

    private static long duplicateEventIds(ElasticsearchConfig es) throws Exception {
        JsonNode result = ElasticsearchExtension.request("POST", "/" + indices(es) + "/_search",
                "{\"size\": 0, \"aggs\": {\"twice\": {\"terms\": {\"field\": \"eventId\", \"min_doc_count\": 2, "
                        + "\"size\": 10}}}}");
        return result.path("aggregations").path("twice").path("buckets").size();
    }

    @Test
    void indicesPastTheirRetentionAreDeletedAndADedicatedWorkspaceKeepsItsOwn() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        ElasticsearchConfig es = config(prefix, Map.of(
                ElasticsearchOptions.RETENTION.key(), "2 d",
                ElasticsearchOptions.DEDICATED_WORKSPACES.key(), "keeper=30 d"));
        long now = System.currentTimeMillis();
        long tenDaysAgo = now - Duration.ofDays(10).toMillis();
        long yesterday = now - Duration.ofDays(1).toMillis();
        List<LogEvent> events = List.of(
                event(1, "acme", tenDaysAgo, Level.INFO, "api", "old", null),
                event(2, "acme", yesterday, Level.INFO, "api", "recent", null),
                event(3, "acme", now, Level.INFO, "api", "today", null),
                event(4, "keeper", tenDaysAgo, Level.INFO, "api", "old but kept longer", null));
        // Written first under a long retention, so the old indices exist before any sweep that could delete them.
        ElasticsearchConfig keepAll = config(prefix, Map.of(
                ElasticsearchOptions.RETENTION.key(), "3650 d",
                ElasticsearchOptions.DEDICATED_WORKSPACES.key(), "keeper"));
        EsTestEvents.run(events, keepAll, new EsTestEvents.Collected("retention-" + prefix), false);
        String oldShared = es.indexNames.index("acme", tenDaysAgo);
        String oldDedicated = es.dedicatedIndexNames.index("keeper", tenDaysAgo);
        assertThat(ElasticsearchExtension.count(oldShared, null)).isEqualTo(1);
        assertThat(ElasticsearchExtension.count(oldDedicated, null)).isEqualTo(1);

        // The writers sweep when they open: the shared index of ten days ago is past 2 d, the dedicated one is not.
        EsTestEvents.runWithRegistrations(List.of(events.get(2)), List.of(registration("acme"),
                registration("keeper")), es, new EsTestEvents.Collected("retention2-" + prefix));
        JsonNode left = ElasticsearchExtension.request("GET", "/_cat/indices/" + indices(es) + "?format=json&h=index",
                null);
        List<String> names = new ArrayList<>();
        left.forEach(row -> names.add(row.path("index").asText()));
        assertThat(names).doesNotContain(oldShared)
                .contains(es.indexNames.index("acme", yesterday), es.indexNames.index("acme", now), oldDedicated);
        assertThat(ElasticsearchExtension.count(es.aliasOf("acme"), null)).isEqualTo(2);

        // A sweep later on, when the dedicated workspace's 30 days have passed too, deletes its index.
        try (WorkspaceIndices indices = new WorkspaceIndices(es)) {
            long later = now + Duration.ofDays(25).toMillis();
            assertThat(indices.deleteExpired(later)).contains(oldDedicated, es.indexNames.index("acme", now));
        }
    }
}
