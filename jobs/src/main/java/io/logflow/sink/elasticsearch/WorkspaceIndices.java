package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.workspace.WorkspaceChange;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sink keeps up beside the documents: one filtered alias per registered workspace (from the registrations,
 * {@link WorkspaceIndicesSink}), and the retention of the indices (every writer of the events, {@link LogEventEmitter}).
 *
 * <p>The alias of a workspace ({@code elasticsearch.workspace-alias}) filters on its {@code workspaceId} and, over
 * shared indices, carries its routing, so a search through it reads the one shard that holds the workspace. It is
 * put on the existing indices that can hold the workspace's documents and into the aliases component template of
 * the index template of those indices (the shared one, or the dedicated workspace's own), so that the indices of
 * later days get it when they are created, and no other index does. A deleted workspace loses its alias everywhere.
 *
 * <p>Retention: an index is deleted once the period its name holds (the day of {@code <yyyy.MM.dd>}) ended longer
 * ago than the retention of its workspace ({@code elasticsearch.retention}, or a dedicated workspace's own). The date
 * in the name is the events' time, so a backfill of old events is kept as long as the events are young enough, not
 * as long as the index is.
 */
public final class WorkspaceIndices implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkspaceIndices.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ElasticsearchConfig config;
    private final RestClient client;

    public WorkspaceIndices(ElasticsearchConfig config) {
        this.config = config;
        this.client = IndexTemplate.restClient(config);
    }

    /** The alias definition of a workspace: a term filter, and the routing over shared indices. */
    ObjectNode aliasBody(String workspaceId) {
        return aliasBody(workspaceId, routing(workspaceId));
    }

    private static ObjectNode aliasBody(String workspaceId, String routing) {
        ObjectNode alias = JSON.createObjectNode();
        alias.putObject("filter").putObject("term").put("workspaceId", workspaceId);
        if (routing != null) {
            alias.put("routing", routing);
        }
        return alias;
    }

    /**
     * Applies registrations and deletions (the last change of each workspace counts): first the aliases component
     * templates, then the existing indices, so that an index created in between gets the alias either way.
     *
     * <p>A workspace's alias covers the indices that can hold its documents, and no others: a shared workspace's
     * the shared indices (one routed shard each); a dedicated workspace's its own indices, plus those existing shared
     * indices that still hold its documents from before it became dedicated (routed too).
     */
    public void apply(Collection<WorkspaceChange> changes) throws IOException {
        Map<String, WorkspaceChange> last = new LinkedHashMap<>();
        for (WorkspaceChange c : changes) {
            if (c.id != null && !c.id.isBlank() && (c.isPut() || c.isDelete())) {
                last.remove(c.id);
                last.put(c.id, c);
            }
        }
        if (last.isEmpty()) {
            return;
        }
        IndexTemplate.install(config); // the component templates must exist
        Map<String, List<WorkspaceChange>> byComponent = new LinkedHashMap<>();
        String shared = IndexTemplate.aliasesComponent(config);
        for (WorkspaceChange c : last.values()) {
            byComponent.computeIfAbsent(IndexTemplate.aliasesComponent(config, c.id), k -> new ArrayList<>()).add(c);
            if (config.dedicated.containsKey(c.id)) {
                // it may have been a shared workspace before: new shared indices must not get its alias any more
                byComponent.computeIfAbsent(shared, k -> new ArrayList<>()).add(WorkspaceChange.delete(c.id));
            }
        }
        for (Map.Entry<String, List<WorkspaceChange>> component : byComponent.entrySet()) {
            updateComponent(component.getKey(), component.getValue());
        }

        List<String> indices = indices();
        ObjectNode actions = JSON.createObjectNode();
        ArrayNode list = actions.putArray("actions");
        List<String> deleted = new ArrayList<>();
        for (WorkspaceChange c : last.values()) {
            if (c.isDelete()) {
                deleted.add(config.aliasOf(c.id));
            } else {
                addAlias(list, c.id, indicesOf(c.id, indices), routing(c.id));
                if (config.dedicated.containsKey(c.id)) {
                    List<String> holding = sharedIndicesHolding(c.id, indices);
                    addAlias(list, c.id, holding, IndexNames.sanitise(c.id));
                    // and off the shared indices it got while it was shared, where it has no documents
                    for (String index : currentIndices(config.aliasOf(c.id))) {
                        if (config.indexNames.isIndexOf(index, null) && !holding.contains(index)) {
                            list.addObject().putObject("remove").put("index", index)
                                    .put("alias", config.aliasOf(c.id));
                        }
                    }
                }
            }
        }
        if (list.size() > 0) {
            request("POST", "/_aliases", actions.toString());
        }
        List<String> patterns = patternsWithIndices(indices);
        for (String alias : deleted) {
            if (patterns.isEmpty()) {
                break;
            }
            try {
                request("DELETE", "/" + String.join(",", patterns) + "/_alias/" + alias, null);
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** Puts the aliases of {@code changes} into (or takes them out of) one aliases component template. */
    private void updateComponent(String component, List<WorkspaceChange> changes) throws IOException {
        JsonNode current = request("GET", "/_component_template/" + component, null);
        ObjectNode body = (ObjectNode) current.path("component_templates").path(0).path("component_template");
        ObjectNode aliases = body.with("template").with("aliases");
        for (WorkspaceChange c : changes) {
            if (c.isPut()) {
                aliases.set(config.aliasOf(c.id), aliasBody(c.id));
            } else {
                aliases.remove(config.aliasOf(c.id));
            }
        }
        request("PUT", "/_component_template/" + component, body.toString());
    }

    private void addAlias(ArrayNode actions, String workspaceId, List<String> indices, String routing) {
        if (indices.isEmpty()) {
            return;
        }
        ObjectNode add = aliasBody(workspaceId, routing);
        actions.addObject().set("add", add);
        ArrayNode names = add.putArray("indices");
        indices.forEach(names::add);
        add.put("alias", config.aliasOf(workspaceId));
    }

    /**
     * The existing indices of {@code workspaceId}'s layout: its own, or all the shared ones. Those are named by their
     * pattern when nothing else matches it (the usual case: a short request for thousands of workspaces, and an index
     * a retention sweep deletes meanwhile is no error).
     */
    private List<String> indicesOf(String workspaceId, List<String> indices) {
        IndexNames own = config.indexNamesOf(workspaceId);
        List<String> out = indices.stream().filter(i -> own.isIndexOf(i, own.shared() ? null : workspaceId)).toList();
        boolean onlyThese = indices.stream().filter(i -> i.startsWith(own.prefix())).count() == out.size();
        return own.shared() && onlyThese && !out.isEmpty() ? List.of(own.templatePattern()) : out;
    }

    /** The routing of a workspace's documents, or null where its indices are not routed. */
    private String routing(String workspaceId) {
        return config.indexNamesOf(workspaceId).shared() ? IndexNames.sanitise(workspaceId) : null;
    }

    /** The existing shared indices that hold documents of {@code workspaceId} (its routing: one shard each). */
    private List<String> sharedIndicesHolding(String workspaceId, List<String> indices) throws IOException {
        if (!config.indexNames.shared() || indices.stream().noneMatch(i -> config.indexNames.isIndexOf(i, null))) {
            return List.of();
        }
        Request search = new Request("POST", "/" + config.indexNames.templatePattern() + "/_search");
        search.addParameter("routing", IndexNames.sanitise(workspaceId));
        ObjectNode body = JSON.createObjectNode();
        body.put("size", 0);
        body.putObject("query").putObject("term").put("workspaceId", workspaceId);
        body.putObject("aggs").putObject("indices").putObject("terms").put("field", "_index").put("size", 10_000);
        search.setJsonEntity(body.toString());
        List<String> out = new ArrayList<>();
        for (JsonNode bucket : IndexTemplate.read(client.performRequest(search)).path("aggregations").path("indices")
                .path("buckets")) {
            out.add(bucket.path("key").asText());
        }
        return out;
    }

    /** The indices {@code alias} is on now. */
    private List<String> currentIndices(String alias) throws IOException {
        List<String> out = new ArrayList<>();
        try {
            request("GET", "/_alias/" + alias, null).fieldNames().forEachRemaining(out::add);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                throw e;
            }
        }
        return out;
    }

    /** The sink's index patterns that match at least one of {@code indices} (an alias action on none fails). */
    private List<String> patternsWithIndices(List<String> indices) {
        List<String> out = new ArrayList<>();
        for (String pattern : config.indexPatterns()) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            if (indices.stream().anyMatch(i -> i.startsWith(prefix))) {
                out.add(pattern);
            }
        }
        return out;
    }

    /** Every index under the sink's patterns, open or closed. */
    List<String> indices() throws IOException {
        return IndexTemplate.indices(client, String.join(",", config.indexPatterns()), true);
    }

    /**
     * Deletes the indices whose period ended longer than their retention before {@code nowMillis}; returns their
     * names. An index whose name this sink's patterns do not make with a trailing date is never touched.
     */
    public List<String> deleteExpired(long nowMillis) throws IOException {
        List<String> expired = new ArrayList<>();
        for (String index : indices()) {
            long end = -1;
            Duration keep = config.retention;
            for (var dedicated : config.dedicated.entrySet()) {
                end = config.dedicatedIndexNames.periodEnd(index, IndexNames.sanitise(dedicated.getKey()));
                if (end > 0) {
                    keep = dedicated.getValue();
                    break;
                }
            }
            if (end < 0) {
                end = config.indexNames.periodEnd(index, null);
            }
            if (end < 0) {
                end = config.dedicatedIndexNames.periodEnd(index, null); // a workspace that is no longer dedicated
            }
            if (end > 0 && end + keep.toMillis() <= nowMillis) {
                expired.add(index);
            }
        }
        for (int from = 0; from < expired.size(); from += 50) {
            List<String> batch = expired.subList(from, Math.min(expired.size(), from + 50));
            // every writer sweeps: an index another one deleted a moment ago is not an error
            request("DELETE", "/" + String.join(",", batch) + "?ignore_unavailable=true", null);
            LOG.info("Deleted Elasticsearch indices past their retention: {}", batch);
        }
        return expired;
    }

    private JsonNode request(String method, String endpoint, String body) throws IOException {
        Request request = new Request(method, endpoint);
        if (body != null) {
            request.setJsonEntity(body);
        }
        return IndexTemplate.read(client.performRequest(request));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
