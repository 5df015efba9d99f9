package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.workspace.WorkspaceChange;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the sink keeps up beside the documents: one filtered alias per registered workspace (from the registrations,
 * {@link WorkspaceIndicesSink}), and the retention of the indices (every writer of the events, {@link LogEventEmitter}).
 *
 * <p>The alias of a workspace ({@code elasticsearch.workspace-alias}) filters on its {@code workspaceId} and, over
 * shared indices, carries its routing, so a search through it reads the one shard that holds the workspace. It is
 * put on every existing index and into the aliases component template of the index template, so that the indices
 * of later days get it when they are created. A deleted workspace loses its alias everywhere.
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
        ObjectNode alias = JSON.createObjectNode();
        alias.putObject("filter").putObject("term").put("workspaceId", workspaceId);
        if (config.indexNamesOf(workspaceId).shared()) {
            alias.put("routing", IndexNames.sanitise(workspaceId));
        }
        return alias;
    }

    /**
     * Applies registrations and deletions (the last change of each workspace counts): first the aliases component
     * template, then the existing indices, so that an index created in between gets the alias either way.
     */
    public void apply(Collection<WorkspaceChange> changes) throws IOException {
        List<WorkspaceChange> valid = new ArrayList<>();
        for (WorkspaceChange c : changes) {
            if (c.id != null && !c.id.isBlank() && (c.isPut() || c.isDelete())) {
                valid.add(c);
            }
        }
        if (valid.isEmpty()) {
            return;
        }
        IndexTemplate.install(config); // the component template must exist
        String component = IndexTemplate.aliasesComponent(config);
        JsonNode current = request("GET", "/_component_template/" + component, null);
        ObjectNode body = (ObjectNode) current.path("component_templates").path(0).path("component_template");
        ObjectNode template = body.with("template");
        ObjectNode aliases = template.with("aliases");
        for (WorkspaceChange c : valid) {
            if (c.isPut()) {
                aliases.set(config.aliasOf(c.id), aliasBody(c.id));
            } else {
                aliases.remove(config.aliasOf(c.id));
            }
        }
        request("PUT", "/_component_template/" + component, body.toString());

        List<String> patterns = patternsWithIndices();
        if (patterns.isEmpty()) {
            return;
        }
        ObjectNode actions = JSON.createObjectNode();
        ArrayNode list = actions.putArray("actions");
        List<String> deleted = new ArrayList<>();
        for (WorkspaceChange c : valid) {
            if (c.isPut()) {
                ObjectNode add = aliasBody(c.id);
                ArrayNode indices = add.putArray("indices");
                patterns.forEach(indices::add);
                add.put("alias", config.aliasOf(c.id));
                list.addObject().set("add", add);
            } else {
                deleted.add(config.aliasOf(c.id));
            }
        }
        if (list.size() > 0) {
            request("POST", "/_aliases", actions.toString());
        }
        for (String alias : deleted) {
            try {
                request("DELETE", "/" + String.join(",", patterns) + "/_alias/" + alias, null);
            } catch (ResponseException e) {
                if (e.getResponse().getStatusLine().getStatusCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** The sink's index patterns that match at least one index now (an alias action on none fails). */
    private List<String> patternsWithIndices() throws IOException {
        List<String> indices = indices();
        List<String> out = new ArrayList<>();
        for (String pattern : templatePatterns()) {
            String prefix = pattern.substring(0, pattern.length() - 1);
            if (indices.stream().anyMatch(i -> i.startsWith(prefix))) {
                out.add(pattern);
            }
        }
        return out;
    }

    private Set<String> templatePatterns() {
        Set<String> patterns = new LinkedHashSet<>();
        patterns.add(config.indexNames.templatePattern());
        patterns.add(config.dedicatedIndexNames.templatePattern());
        return patterns;
    }

    /** Every index under the sink's patterns, open or closed. */
    List<String> indices() throws IOException {
        Request cat = new Request("GET", "/_cat/indices/" + String.join(",", templatePatterns()));
        cat.addParameter("h", "index");
        cat.addParameter("format", "json");
        cat.addParameter("expand_wildcards", "open,closed");
        List<String> out = new ArrayList<>();
        for (JsonNode row : read(client.performRequest(cat))) {
            out.add(row.path("index").asText());
        }
        return out;
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
        return read(client.performRequest(request));
    }

    private static JsonNode read(Response response) throws IOException {
        return JSON.readTree(EntityUtils.toString(response.getEntity()));
    }

    @Override
    public void close() throws IOException {
        client.close();
    }
}
