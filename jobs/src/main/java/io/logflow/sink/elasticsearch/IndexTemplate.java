package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The composable index template of the event indices, installed (or replaced) by every sink writer at start through
 * the low-level REST client, so an index created by the first event of a day has the right mapping.
 *
 * <p>Mapping: {@code @timestamp}/{@code ingestTime} dates; ids, level, service, log group/stream, format, source
 * keyword; {@code message} text with a {@code message.keyword} sub-field; {@code durationMs} double; every
 * {@code fields.*} keyword via a dynamic template; {@code fieldsUnindexed} stored only. The top level is
 * {@code dynamic: strict} and date/numeric detection is off, so a field's type never depends on the first value seen.
 */
public final class IndexTemplate {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PRIORITY = 100;
    /** Above {@link #PRIORITY}, so a dedicated workspace's template wins where the shared pattern matches too. */
    private static final int DEDICATED_PRIORITY = 200;
    /** Lucene's term limit is 32766 bytes; 8191 characters stay below it in any UTF-8. */
    static final int KEYWORD_IGNORE_ABOVE = 8191;
    private static final String[] KEYWORDS = {"eventId", "workspaceId", "level", "service", "logGroup", "logStream",
            "traceId", "spanId", "requestId", "format", "source", "sourceRef", "routingKey", "templateId"};
    /**
     * Fields added to the mapping after indices were first made with it: an index made before has a strict mapping
     * without them, so they are added to the existing indices too, or its documents would be rejected.
     */
    private static final String[] ADDED_KEYWORDS = {"templateId"};

    private IndexTemplate() {}

    /** The template of the indices of {@code elasticsearch.index-pattern}, with the shared workspaces' aliases. */
    public static String body(ElasticsearchConfig config) {
        return body(config, config.indexNames.templatePattern(), aliasesComponent(config), PRIORITY);
    }

    /**
     * The template of one dedicated workspace's indices: the same settings and mappings, composed with that
     * workspace's aliases only, so its alias is on its own indices and no shared workspace's alias is. Its pattern
     * can overlap another dedicated workspace's ({@code bigco-*} and {@code bigco-eu-*}): the longer id has the
     * higher priority, so each index gets the template of the workspace whose name it holds.
     */
    static String dedicatedBody(ElasticsearchConfig config, String workspaceId) {
        return body(config, config.dedicatedIndexNames.indicesOf(workspaceId), aliasesComponent(config, workspaceId),
                DEDICATED_PRIORITY + IndexNames.sanitise(workspaceId).length());
    }

    private static String body(ElasticsearchConfig config, String pattern, String aliasesComponent, int priority) {
        ObjectNode root = JSON.createObjectNode();
        root.putArray("index_patterns").add(pattern);
        root.put("priority", priority);
        // The workspace aliases, kept by WorkspaceIndices, so that every new index gets them at creation.
        root.putArray("composed_of").add(aliasesComponent);
        root.putObject("_meta").put("managed_by", "logflow");
        ObjectNode template = root.putObject("template");
        ObjectNode index = template.putObject("settings").putObject("index");
        index.put("number_of_shards", config.shards);
        index.put("number_of_replicas", config.replicas);
        index.put("mapping.total_fields.limit", config.totalFieldsLimit);

        ObjectNode mappings = template.putObject("mappings");
        mappings.put("dynamic", "strict");
        mappings.put("date_detection", false);
        mappings.put("numeric_detection", false);
        ArrayNode dynamic = mappings.putArray("dynamic_templates");
        ObjectNode fieldsAsKeywords = dynamic.addObject().putObject("fields_as_keywords");
        fieldsAsKeywords.put("path_match", "fields.*");
        fieldsAsKeywords.put("match_mapping_type", "string");
        fieldsAsKeywords.putObject("mapping").put("type", "keyword").put("ignore_above", KEYWORD_IGNORE_ABOVE);

        ObjectNode props = mappings.putObject("properties");
        props.putObject("@timestamp").put("type", "date");
        props.putObject("ingestTime").put("type", "date");
        for (String keyword : KEYWORDS) {
            props.putObject(keyword).put("type", "keyword").put("ignore_above", KEYWORD_IGNORE_ABOVE);
        }
        ObjectNode message = props.putObject("message").put("type", "text");
        message.putObject("fields").putObject("keyword").put("type", "keyword")
                .put("ignore_above", KEYWORD_IGNORE_ABOVE);
        props.putObject("durationMs").put("type", "double");
        props.putObject("fields").put("type", "object").put("dynamic", true);
        props.putObject("fieldsUnindexed").put("type", "object").put("enabled", false);
        return root.toString();
    }

    /** The component template that holds the aliases of the workspaces that are not dedicated. */
    public static String aliasesComponent(ElasticsearchConfig config) {
        return config.templateName + "-aliases";
    }

    /** The component template that holds {@code workspaceId}'s alias: its own if it is dedicated, else the shared one. */
    static String aliasesComponent(ElasticsearchConfig config, String workspaceId) {
        return config.dedicated.containsKey(workspaceId)
                ? dedicatedTemplate(config, workspaceId) + "-aliases" : aliasesComponent(config);
    }

    /** The index template of a dedicated workspace's indices. */
    static String dedicatedTemplate(ElasticsearchConfig config, String workspaceId) {
        return config.templateName + "-dedicated-" + IndexNames.sanitise(workspaceId);
    }

    /**
     * {@code PUT _index_template/<name>}, and one per dedicated workspace: idempotent, so every writer may do it. Each
     * aliases component is created empty first if it does not exist yet (never replaced: it holds the aliases of the
     * registered workspaces).
     */
    public static void install(ElasticsearchConfig config) throws IOException {
        try (RestClient client = restClient(config)) {
            install(client, config.templateName, aliasesComponent(config), body(config));
            for (String workspaceId : config.dedicated.keySet()) {
                install(client, dedicatedTemplate(config, workspaceId), aliasesComponent(config, workspaceId),
                        dedicatedBody(config, workspaceId));
            }
            addFieldsToExistingIndices(client, config);
        }
    }

    private static void install(RestClient client, String template, String aliasesComponent, String body)
            throws IOException {
        Request component = new Request("PUT", "/_component_template/" + aliasesComponent);
        component.addParameter("create", "true");
        component.setJsonEntity("{\"template\":{\"aliases\":{}},\"_meta\":{\"managed_by\":\"logflow\"}}");
        try {
            client.performRequest(component);
        } catch (ResponseException e) {
            if (e.getResponse().getStatusLine().getStatusCode() != 400
                    || !EntityUtils.toString(e.getResponse().getEntity()).contains("already exists")) {
                throw e;
            }
        }
        Request put = new Request("PUT", "/_index_template/" + template);
        put.setJsonEntity(body);
        client.performRequest(put);
    }

    /** {@code PUT <patterns>/_mapping} with the {@link #ADDED_KEYWORDS}: idempotent, and nothing when no index exists. */
    private static void addFieldsToExistingIndices(RestClient client, ElasticsearchConfig config) throws IOException {
        ObjectNode mapping = JSON.createObjectNode();
        ObjectNode props = mapping.putObject("properties");
        for (String keyword : ADDED_KEYWORDS) {
            props.putObject(keyword).put("type", "keyword").put("ignore_above", KEYWORD_IGNORE_ABOVE);
        }
        Request request = new Request("PUT", "/" + String.join(",", config.indexPatterns()) + "/_mapping");
        request.addParameter("allow_no_indices", "true");
        request.addParameter("ignore_unavailable", "true");
        request.addParameter("expand_wildcards", "open");
        request.setJsonEntity(mapping.toString());
        client.performRequest(request);
    }

    /** A low-level REST client for {@code config}'s nodes and credentials. */
    public static RestClient restClient(ElasticsearchConfig config) {
        RestClientBuilder builder = RestClient.builder(config.httpHosts());
        if (config.username != null) {
            BasicCredentialsProvider credentials = new BasicCredentialsProvider();
            credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(config.username, config.password));
            builder.setHttpClientConfigCallback(http -> http.setDefaultCredentialsProvider(credentials));
        }
        return builder.build();
    }

    /** A response's body, as JSON. */
    static JsonNode read(Response response) throws IOException {
        return JSON.readTree(EntityUtils.toString(response.getEntity()));
    }

    /** The indices under {@code patterns} (comma-separated), in name order; closed ones too when asked. */
    static List<String> indices(RestClient client, String patterns, boolean closedToo) throws IOException {
        Request cat = new Request("GET", "/_cat/indices/" + patterns);
        cat.addParameter("h", "index");
        cat.addParameter("format", "json");
        cat.addParameter("s", "index");
        if (closedToo) {
            cat.addParameter("expand_wildcards", "open,closed");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode row : read(client.performRequest(cat))) {
            out.add(row.path("index").asText());
        }
        return out;
    }
}
