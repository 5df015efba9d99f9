package io.logflow.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.logflow.model.Storable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The JSON form of a {@link Workspace}, the value of a registrations-topic record:
 *
 * <pre>
 * {"id": "acme-prod", "name": "ACME production", "description": "...", "awsAccountId": "123456789012",
 *  "logGroups": ["/aws/lambda/checkout", "/ecs/acme/*"], "uploadPrefixes": ["s3://acme-logs/prod/"],
 *  "status": "active"}
 * </pre>
 *
 * {@link #parse} validates everything the job relies on and fails with one line naming the field: an unknown field, a
 * missing or malformed id, an empty or malformed account, a malformed log-group pattern, an upload prefix that is not a
 * URI. Its strings are made storable ({@link Storable#text}: NUL and unpaired surrogates become U+FFFD), so what the
 * job matches against is what the {@code workspaces} table holds. {@link #toJson} writes the canonical form.
 */
public final class WorkspaceJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Ids appear in keys, validation lines and URLs: letters, digits, {@code . _ -}, at most 64. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern ACCOUNT = Pattern.compile("\\d{12}");
    /** CloudWatch log group names: 1-512 of {@code a-zA-Z0-9 _ - / . #}. */
    static final Pattern LOG_GROUP_CHARS = Pattern.compile("[A-Za-z0-9_\\-/.#]*");
    static final Pattern URI_PREFIX = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*:/\\S*");
    static final Pattern RELATIVE_PREFIX = Pattern.compile("[^/\\s][^\\s]*");
    private static final Set<String> FIELDS = Set.of(
            "id", "name", "description", "awsAccountId", "logGroups", "uploadPrefixes", "status");

    private WorkspaceJson() {}

    /** Reads and validates a registration; throws {@link InvalidWorkspaceException} with a one-line reason. */
    public static Workspace parse(String json) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidWorkspaceException("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidWorkspaceException("expected a JSON object such as {\"id\": \"acme\", \"awsAccountId\": "
                    + "\"123456789012\", \"logGroups\": [\"/aws/lambda/*\"]}");
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw new InvalidWorkspaceException("unknown field '" + field + "' (known: " + String.join(", ",
                        new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        Workspace w = new Workspace();
        w.id = text(root, "id");
        w.name = text(root, "name");
        w.description = text(root, "description");
        w.awsAccountId = text(root, "awsAccountId");
        w.logGroups = strings(root, "logGroups");
        w.uploadPrefixes = strings(root, "uploadPrefixes");
        String status = text(root, "status");
        if (status != null) {
            try {
                w.status = WorkspaceStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new InvalidWorkspaceException("status: expected 'active' or 'suspended', got '" + status + "'");
            }
        }
        return validate(w);
    }

    /**
     * Checks a registration and normalises it in place (trimmed values, {@code file:///} prefixes as {@code file:/},
     * name defaulting to the id); returns it.
     */
    public static Workspace validate(Workspace w) {
        if (w.id == null || w.id.isBlank()) {
            throw new InvalidWorkspaceException("id: required, e.g. \"acme-prod\"");
        }
        w.id = w.id.trim();
        if (!ID.matcher(w.id).matches()) {
            throw new InvalidWorkspaceException("id: expected 1-64 letters, digits, '.', '_' or '-' starting with a "
                    + "letter or digit, got '" + w.id + "'");
        }
        if (w.name == null || w.name.isBlank()) {
            w.name = w.id;
        }
        if (w.status == null) {
            w.status = WorkspaceStatus.ACTIVE;
        }
        w.logGroups = w.logGroups == null ? new ArrayList<>() : new ArrayList<>(w.logGroups);
        w.uploadPrefixes = w.uploadPrefixes == null ? new ArrayList<>() : new ArrayList<>(w.uploadPrefixes);
        if (w.awsAccountId != null) {
            w.awsAccountId = w.awsAccountId.trim();
            if (w.awsAccountId.isEmpty()) {
                throw new InvalidWorkspaceException("awsAccountId: empty; expected the 12-digit AWS account that owns "
                        + "the log groups");
            }
            if (!ACCOUNT.matcher(w.awsAccountId).matches()) {
                throw new InvalidWorkspaceException("awsAccountId: expected 12 digits, got '" + w.awsAccountId + "'");
            }
        }
        if (!w.logGroups.isEmpty() && w.awsAccountId == null) {
            throw new InvalidWorkspaceException("awsAccountId: required with logGroups (the 12-digit AWS account that "
                    + "owns them)");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < w.logGroups.size(); i++) {
            String pattern = checkLogGroupPattern("logGroups[" + i + "]", w.logGroups.get(i));
            if (!seen.add(pattern)) {
                throw new InvalidWorkspaceException("logGroups[" + i + "]: '" + pattern + "' is listed twice");
            }
            w.logGroups.set(i, pattern);
        }
        seen.clear();
        for (int i = 0; i < w.uploadPrefixes.size(); i++) {
            String prefix = checkUploadPrefix("uploadPrefixes[" + i + "]", w.uploadPrefixes.get(i));
            if (!seen.add(prefix)) {
                throw new InvalidWorkspaceException("uploadPrefixes[" + i + "]: '" + prefix + "' is listed twice");
            }
            w.uploadPrefixes.set(i, prefix);
        }
        if (w.logGroups.isEmpty() && w.uploadPrefixes.isEmpty()) {
            throw new InvalidWorkspaceException("a workspace must claim at least one log group (logGroups) or upload "
                    + "prefix (uploadPrefixes)");
        }
        return w;
    }

    static String checkLogGroupPattern(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidWorkspaceException(field + ": empty; expected a log group name such as "
                    + "/aws/lambda/checkout or a prefix ending in '*' such as /aws/lambda/*");
        }
        String pattern = value.trim();
        int star = pattern.indexOf('*');
        if (star >= 0 && star != pattern.length() - 1) {
            throw new InvalidWorkspaceException(field + ": '" + pattern + "' is malformed: '*' may only end a prefix, "
                    + "as in /aws/lambda/*");
        }
        String name = star >= 0 ? pattern.substring(0, star) : pattern;
        if (!LOG_GROUP_CHARS.matcher(name).matches()) {
            throw new InvalidWorkspaceException(field + ": '" + pattern + "' is malformed: log group names hold only "
                    + "letters, digits and _ - / . #");
        }
        if (name.length() > 512) {
            throw new InvalidWorkspaceException(field + ": '" + pattern.substring(0, 40) + "...' is malformed: longer "
                    + "than 512 characters");
        }
        return pattern;
    }

    /**
     * An upload prefix is matched against an upload's routing key: with the upload source's path pattern (default
     * {@code <workspace>/<service>/...}) that is the {@code <workspace>} folder, so {@code acme/} claims the uploads
     * under {@code acme/}; a file the pattern does not match has its path below the uploads folder as key, and a URI
     * prefix ({@code s3://bucket/acme/}) matches keys that are full URIs.
     */
    static String checkUploadPrefix(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidWorkspaceException(field + ": empty; expected a folder below the uploads folder such as "
                    + "acme/, or a URI prefix such as s3://bucket/acme/");
        }
        String prefix = normaliseUri(value.trim());
        boolean uri = URI_PREFIX.matcher(prefix).matches();
        if (prefix.contains("*") || (!uri && !RELATIVE_PREFIX.matcher(prefix).matches())) {
            throw new InvalidWorkspaceException(field + ": '" + value.trim() + "' is malformed: expected a folder "
                    + "below the uploads folder such as acme/, or a URI prefix such as s3://bucket/acme/ "
                    + "(no wildcards, no spaces, no leading '/')");
        }
        return prefix;
    }

    /** {@code file:///a} and {@code file:/a} name the same file; Flink paths use the short form. */
    public static String normaliseUri(String uri) {
        return uri.startsWith("file:///") ? "file:/" + uri.substring("file:///".length()) : uri;
    }

    /** The canonical JSON of a registration (fields in a fixed order; status in lower case). */
    public static String toJson(Workspace w) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("id", w.id);
        root.put("name", w.name);
        if (w.description != null) {
            root.put("description", w.description);
        }
        if (w.awsAccountId != null) {
            root.put("awsAccountId", w.awsAccountId);
        }
        ArrayNode groups = root.putArray("logGroups");
        w.logGroups.forEach(groups::add);
        ArrayNode prefixes = root.putArray("uploadPrefixes");
        w.uploadPrefixes.forEach(prefixes::add);
        root.put("status", (w.status == null ? WorkspaceStatus.ACTIVE : w.status).name().toLowerCase(Locale.ROOT));
        return root.toString();
    }

    private static String text(JsonNode root, String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidWorkspaceException(field + ": expected a string, got " + node);
        }
        return Storable.text(node.asText());
    }

    private static List<String> strings(JsonNode root, String field) {
        JsonNode node = root.get(field);
        List<String> out = new ArrayList<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!node.isArray()) {
            throw new InvalidWorkspaceException(field + ": expected an array of strings, got " + node);
        }
        for (int i = 0; i < node.size(); i++) {
            JsonNode item = node.get(i);
            if (!item.isTextual()) {
                throw new InvalidWorkspaceException(field + "[" + i + "]: expected a string, got " + item);
            }
            out.add(Storable.text(item.asText()));
        }
        return out;
    }
}
