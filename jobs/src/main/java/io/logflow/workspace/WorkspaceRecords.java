package io.logflow.workspace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How records of the registrations topic (and lines of the registrations file) become {@link WorkspaceChange}s. Shared
 * by the job's source and the {@code workspace} commands, so both read the topic the same way.
 */
public final class WorkspaceRecords {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private WorkspaceRecords() {}

    /** A topic record: key = workspace id, value = registration JSON or null (a tombstone). */
    public static WorkspaceChange fromRecord(String key, String value) {
        if (key == null || key.isBlank()) {
            return WorkspaceChange.invalid(null, "record without a key (the key must be the workspace id)");
        }
        if (value == null) {
            return WorkspaceChange.delete(key);
        }
        Workspace w;
        try {
            w = WorkspaceJson.parse(value);
        } catch (InvalidWorkspaceException e) {
            return WorkspaceChange.invalid(key, e.getMessage());
        }
        if (!w.id.equals(key)) {
            return WorkspaceChange.invalid(key, "record key '" + key + "' differs from the registration's id '" + w.id
                    + "'");
        }
        return WorkspaceChange.put(w);
    }

    /**
     * A line of a registrations file: the JSON value of a topic record, whose {@code id} is the key; a deletion is
     * {@code {"id": "x", "deleted": true}}. Returns null for a blank line.
     */
    public static WorkspaceChange fromFileLine(String line) {
        if (line == null || line.isBlank()) {
            return null;
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(line);
        } catch (Exception e) {
            return WorkspaceChange.invalid(null, "not valid JSON: " + line);
        }
        if (root == null || !root.isObject() || !root.path("id").isTextual()) {
            return WorkspaceChange.invalid(null, "expected a JSON object with an \"id\": " + line);
        }
        String id = root.get("id").asText();
        if (root.has("deleted")) {
            if (root.path("deleted").asBoolean(false)) {
                return WorkspaceChange.delete(id);
            }
            ((ObjectNode) root).remove("deleted");
        }
        return fromRecord(id, root.toString());
    }
}
