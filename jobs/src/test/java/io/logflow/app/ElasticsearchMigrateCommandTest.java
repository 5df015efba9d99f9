package io.logflow.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.logflow.config.Settings;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.SourceKind;
import io.logflow.sink.elasticsearch.ElasticsearchConfig;
import io.logflow.sink.elasticsearch.ElasticsearchOptions;
import io.logflow.sink.elasticsearch.EventDocuments;
import io.logflow.sink.elasticsearch.IndexNames;
import io.logflow.sink.elasticsearch.WorkspaceIndices;
import io.logflow.testing.Console;
import io.logflow.testing.ElasticsearchExtension;
import io.logflow.workspace.Workspace;
import io.logflow.workspace.WorkspaceChange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code logflow elasticsearch-migrate}, as the README gives it, on the real test node: per-workspace daily indices of
 * the old layout, written as the old job wrote them, end up in the shared (or a dedicated workspace's) indices; every
 * document is found exactly once through its workspace's alias, a document the job had already written again is not
 * doubled, and the old indices are gone.
 */
class ElasticsearchMigrateCommandTest {
    @RegisterExtension static final ElasticsearchExtension ELASTICSEARCH = new ElasticsearchExtension();

    private static final long DAY1 = Instant.parse("2026-11-02T09:00:00Z").toEpochMilli();
    private static final long DAY = 86_400_000L;

    @Test
    void oldPerWorkspaceIndicesMoveIntoTheSharedLayoutAndEveryDocumentIsFoundOnceThroughItsAlias() throws Exception {
        String prefix = ElasticsearchExtension.uniquePrefix();
        String oldPattern = prefix + "logflow-<workspace>-<yyyy.MM.dd>";
        // The README's command, with this test's prefix on every name.
        String[] layout = {
            "--elasticsearch.hosts", ElasticsearchExtension.url(),
            "--elasticsearch.index-pattern", prefix + "logflow-shared-<yyyy.MM.dd>",
            "--elasticsearch.dedicated-index-pattern", prefix + "logflow-dedicated-<workspace>-<yyyy.MM.dd>",
            "--elasticsearch.workspace-alias", prefix + "logflow-ws-<workspace>",
            "--elasticsearch.template-name", prefix + "logflow-events",
            "--elasticsearch.dedicated-workspaces", "bigco",
            "--elasticsearch.replicas", "0"};
        ElasticsearchConfig es = ElasticsearchConfig.from(Settings.load(layout, Map.of(), LogflowOptions.all()));

        // The old layout: one index per workspace and day, documents unrouted, as the job wrote them before.
        String[] workspaces = {"acme", "Big Co/..", "bigco", null};
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String message = i % 10 == 0 ? "hostile \u0000 and \uD800 and \\u0000 " + i : "message " + i;
            events.add(event("ev-" + i, workspaces[i % workspaces.length], DAY1 + (i / workspaces.length % 2) * DAY + i * 1000L, message));
        }
        IndexNames old = IndexNames.parse(oldPattern, es.indexNames.unassigned());
        StringBuilder bulk = new StringBuilder();
        for (LogEvent e : events) {
            bulk.append("{\"index\":{\"_index\":\"").append(old.index(e.workspaceId, e.timestamp))
                    .append("\",\"_id\":\"").append(e.eventId).append("\"}}\n")
                    .append(new String(EventDocuments.toJson(e), StandardCharsets.UTF_8)).append('\n');
        }
        JsonNode written = bulkRequest(bulk.toString());
        assertThat(written.path("errors").asBoolean()).as(written.toString()).isFalse();
        List<String> oldIndices = indices(prefix + "logflow-*");
        assertThat(oldIndices).hasSize(workspaces.length * 2);

        // After the upgrade: the workspaces are registered (aliases), and the job has already written one event again
        // (a replay) into the new layout.
        try (WorkspaceIndices aliases = new WorkspaceIndices(es)) {
            List<WorkspaceChange> registrations = new ArrayList<>();
            for (String ws : workspaces) {
                if (ws != null) {
                    registrations.add(WorkspaceChange.put(new Workspace(ws, ws, null, List.of(), List.of())));
                }
            }
            aliases.apply(registrations);
        }
        LogEvent replayed = events.get(0);
        JsonNode again = ElasticsearchExtension.request("PUT", "/" + es.indexNames.index(replayed.workspaceId,
                replayed.timestamp) + "/_doc/" + replayed.eventId + "?routing=" + replayed.workspaceId,
                new String(EventDocuments.toJson(replayed), StandardCharsets.UTF_8));
        assertThat(again.path("result").asText()).isEqualTo("created");

        String[] command = new String[layout.length + 4];
        command[0] = "elasticsearch-migrate";
        command[1] = "--old-pattern";
        command[2] = oldPattern;
        command[3] = "--delete-old";
        System.arraycopy(layout, 0, command, 4, layout.length);
        Console console = Console.run(Main::execute, command);
        assertThat(console.exitCode).as(console.err).isZero();
        assertThat(console.out).contains(oldIndices.size() + " old indices migrated");
        ElasticsearchExtension.refresh();

        // Every document exactly once, through its workspace's alias; the events without a workspace in the shared
        // indices, unrouted as the sink writes them.
        Map<String, List<String>> expected = new LinkedHashMap<>();
        for (LogEvent e : events) {
            expected.computeIfAbsent(String.valueOf(e.workspaceId), k -> new ArrayList<>()).add(e.eventId);
        }
        for (String ws : workspaces) {
            if (ws == null) {
                continue;
            }
            List<String> found = eventIds(es.aliasOf(ws), "{\"match_all\": {}}");
            assertThat(found).as(ws).containsExactlyInAnyOrderElementsOf(expected.get(ws));
        }
        assertThat(eventIds(es.indexNames.templatePattern(), "{\"bool\": {\"must_not\": {\"exists\": "
                + "{\"field\": \"workspaceId\"}}}}")).containsExactlyInAnyOrderElementsOf(expected.get("null"));
        assertThat(ElasticsearchExtension.count(es.indexNames.templatePattern() + ","
                + es.dedicatedIndexNames.templatePattern(), null)).isEqualTo(events.size());
        assertThat(ElasticsearchExtension.count(es.dedicatedIndexNames.indicesOf("bigco"), null))
                .isEqualTo(expected.get("bigco").size());
        JsonNode replayedDoc = ElasticsearchExtension.request("GET", "/" + es.indexNames.index(replayed.workspaceId,
                replayed.timestamp) + "/_doc/" + replayed.eventId + "?routing=" + replayed.workspaceId, null);
        assertThat(replayedDoc.path("_version").asLong()).as("the job's copy was kept").isEqualTo(1);

        // The old indices are gone; a second run finds nothing to do.
        List<String> left = indices(prefix + "logflow-*");
        assertThat(left).doesNotContainAnyElementsOf(oldIndices).allSatisfy(i ->
                assertThat(es.indexNames.isIndexOf(i, null) || es.dedicatedIndexNames.isIndexOf(i, null)).isTrue());
        Console second = Console.run(Main::execute, command);
        assertThat(second.exitCode).as(second.err).isZero();
        assertThat(second.out).contains("0 old indices migrated");
    }

    private static LogEvent event(String id, String workspaceId, long timestamp, String message) {
        LogEvent e = new LogEvent();
        e.eventId = id;
        e.workspaceId = workspaceId;
        e.timestamp = timestamp;
        e.ingestTime = timestamp + 1000;
        e.level = Level.INFO;
        e.service = "api";
        e.message = message;
        e.format = "json";
        e.source = SourceKind.UPLOAD;
        e.sourceRef = "file:/old/app.log#L" + id;
        e.fields = new HashMap<>(Map.of("k", id));
        return e;
    }

    private static JsonNode bulkRequest(String ndjson) throws Exception {
        org.elasticsearch.client.Request request = new org.elasticsearch.client.Request("POST", "/_bulk");
        request.addParameter("refresh", "true");
        request.setEntity(new org.apache.http.nio.entity.NStringEntity(ndjson,
                org.apache.http.entity.ContentType.create("application/x-ndjson", StandardCharsets.UTF_8)));
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                ElasticsearchExtension.client().performRequest(request).getEntity().getContent());
    }

    private static List<String> indices(String pattern) throws Exception {
        List<String> names = new ArrayList<>();
        ElasticsearchExtension.request("GET", "/_cat/indices/" + pattern + "?format=json&h=index", null)
                .forEach(row -> names.add(row.path("index").asText()));
        return names;
    }

    /** The eventId of every hit of {@code query} (each hit once, duplicates kept). */
    private static List<String> eventIds(String target, String query) throws Exception {
        JsonNode hits = ElasticsearchExtension.request("POST", "/" + target + "/_search",
                "{\"size\": 1000, \"_source\": [\"eventId\"], \"query\": " + query + "}").path("hits").path("hits");
        List<String> ids = new ArrayList<>();
        hits.forEach(h -> ids.add(h.path("_source").path("eventId").asText()));
        return ids;
    }
}
