package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.config.ConfigException;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves the documents of per-workspace daily indices, the layout before shared indices ({@code
 * logflow-<workspace>-<yyyy.MM.dd>}), into the configured layout: each old index is reindexed into the index its
 * events have now (the shared index of its day, routed by workspace, or a dedicated workspace's own), then, if asked,
 * deleted once every one of its documents is found there.
 *
 * <p>The workspace part of an old name is the sanitised id, which is also the routing the sink gives the workspace's
 * documents, so no document has to be read to route it. Documents keep their {@code _id}; one the job has already
 * written again into the new layout (a replay) is left as the job wrote it ({@code op_type create}), so nothing is
 * stored twice. Old indices whose names the configured layout also makes are left alone.
 */
public final class OldIndicesMigration {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long POLL_MILLIS = 500;

    private final ElasticsearchConfig config;
    private final IndexNames old;

    public OldIndicesMigration(ElasticsearchConfig config, String oldPattern) {
        if (!config.indexNames.shared()) {
            throw new ConfigException(ElasticsearchOptions.INDEX_PATTERN.key() + ": '" + config.indexNames
                    + "' is per workspace itself; migrate into a pattern without <workspace>");
        }
        IndexNames parsed;
        try {
            parsed = IndexNames.parse(oldPattern, config.indexNames.unassigned());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("old index pattern: " + e.getMessage());
        }
        if (parsed.shared() || parsed.index("a", 0L).equals(parsed.index("a", 4_000_000_000_000L))) {
            throw new ConfigException("old index pattern: '" + oldPattern + "' must contain <workspace> and a date");
        }
        this.config = config;
        this.old = parsed;
    }

    /** One old index and what became of it. */
    public record Moved(String from, String to, long documents, long created, long alreadyThere, boolean deleted) {}

    /** Reindexes every old index, in name order; deletes each one whose documents are all found, if asked. */
    public List<Moved> run(boolean deleteOld) throws IOException, InterruptedException {
        IndexTemplate.install(config); // the new indices get their mapping and the workspaces' aliases
        Map<String, String> dedicated = new HashMap<>();
        config.dedicated.keySet().forEach(id -> dedicated.put(IndexNames.sanitise(id), id));
        List<Moved> moved = new ArrayList<>();
        try (RestClient client = IndexTemplate.restClient(config)) {
            for (String index : IndexTemplate.indices(client, old.templatePattern(), false)) {
                IndexNames.Parsed name = old.read(index);
                if (name == null || config.indexNames.isIndexOf(index, null)
                        || config.dedicatedIndexNames.isIndexOf(index, null)) {
                    continue;
                }
                String part = name.workspacePart();
                boolean unassigned = part.equals(old.unassigned());
                String dedicatedId = dedicated.get(part);
                String to = dedicatedId != null ? config.dedicatedIndexNames.index(dedicatedId, name.periodStart())
                        : config.indexNames.index(null, name.periodStart());
                String routing = dedicatedId != null || unassigned ? null : part;
                moved.add(move(client, index, to, routing, deleteOld));
            }
        }
        return moved;
    }

    private Moved move(RestClient client, String from, String to, String routing, boolean deleteOld)
            throws IOException, InterruptedException {
        refresh(client, from);
        long documents = count(client, from);
        ObjectNode body = JSON.createObjectNode();
        body.put("conflicts", "proceed");
        body.putObject("source").put("index", from);
        body.putObject("dest").put("index", to).put("op_type", "create");
        ObjectNode script = body.putObject("script");
        script.put("lang", "painless");
        script.put("source", "ctx._routing = params.routing");
        script.putObject("params").put("routing", routing);
        Request reindex = new Request("POST", "/_reindex");
        reindex.addParameter("wait_for_completion", "false");
        reindex.setJsonEntity(body.toString());
        String task = IndexTemplate.read(client.performRequest(reindex)).path("task").asText();
        JsonNode result = awaitTask(client, task);
        if (result.path("failures").size() > 0) {
            throw new IOException("reindexing " + from + " into " + to + " failed: " + result.path("failures"));
        }
        long created = result.path("created").asLong();
        long conflicts = result.path("version_conflicts").asLong();
        refresh(client, to);
        boolean deleted = false;
        if (deleteOld) {
            // every old document is in the new index under its _id and routing (created now, or a conflict: there
            // already) before the old index goes
            if (created + conflicts != documents) {
                throw new IOException("not deleting " + from + ": " + documents + " documents, but " + created
                        + " created and " + conflicts + " already in " + to);
            }
            client.performRequest(new Request("DELETE", "/" + from));
            deleted = true;
        }
        return new Moved(from, to, documents, created, conflicts, deleted);
    }

    /** The reindex task's response once it has completed. */
    private static JsonNode awaitTask(RestClient client, String task) throws IOException, InterruptedException {
        while (true) {
            JsonNode status = IndexTemplate.read(client.performRequest(new Request("GET", "/_tasks/" + task)));
            if (status.path("completed").asBoolean()) {
                if (status.has("error")) {
                    throw new IOException("reindex task " + task + " failed: " + status.path("error"));
                }
                return status.path("response");
            }
            Thread.sleep(POLL_MILLIS);
        }
    }

    private static long count(RestClient client, String index) throws IOException {
        Request count = new Request("GET", "/" + index + "/_count");
        return IndexTemplate.read(client.performRequest(count)).path("count").asLong();
    }

    private static void refresh(RestClient client, String index) throws IOException {
        client.performRequest(new Request("POST", "/" + index + "/_refresh"));
    }
}
