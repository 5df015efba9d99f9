package io.logflow.sink.elasticsearch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logflow.model.LogEvent;
import io.logflow.model.Storable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link LogEvent} as the JSON document the index template expects. The document is shaped so that it cannot
 * conflict with the mapping, which is what keeps a tenant's odd log line from stopping the job:
 *
 * <ul>
 *   <li>Top-level fields have fixed types in the template (which is {@code dynamic: strict}); only those are sent.
 *   <li>{@code fields} keys are "de-dotted" ({@code ctx.user} becomes {@code fields.ctx_user}, as Logstash's
 *       {@code de_dot} filter does): Elasticsearch 7 reads a dot as an object path, so {@code error} in one line and
 *       {@code error.code} in the next would otherwise need {@code fields.error} to be both a keyword and an object.
 *       Every value is a string and {@code fields.*} is mapped as {@code keyword} (date detection off).
 *   <li>A key that is empty, or that de-dots onto a key already taken in the same event, goes to
 *       {@code fieldsUnindexed} with its original name: kept in {@code _source}, not searchable.
 *   <li>Every string, key or value, passes {@link Storable#text} (NUL and unpaired surrogates become U+FFFD), so the
 *       document is valid JSON of valid Unicode whatever the event holds; keys are cut to a bounded length (the
 *       Elasticsearch client re-parses every document and refuses names over 50,000 characters).
 * </ul>
 *
 * What can still be rejected (more keys in an index than {@code elasticsearch.total-fields-limit}, a changed template)
 * becomes an {@code es_rejected} failure (see {@link RejectionAwareBulkProcessorFactory}).
 */
public final class EventDocuments {
    private static final JsonFactory JSON = new JsonFactory();
    /** Longest field name kept; longer keys are cut (and may then land in fieldsUnindexed). */
    static final int MAX_KEY_LENGTH = 200;
    /** Longest key kept in {@code fieldsUnindexed}; a longer one is cut (and numbered if that makes it repeat). */
    static final int MAX_UNINDEXED_KEY_LENGTH = 1000;

    private EventDocuments() {}

    public static byte[] toJson(LogEvent e) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("@timestamp", Instant.ofEpochMilli(e.timestamp).toString());
            g.writeStringField("ingestTime", Instant.ofEpochMilli(e.ingestTime).toString());
            field(g, "eventId", e.eventId);
            field(g, "workspaceId", e.workspaceId);
            field(g, "level", e.level == null ? null : e.level.name());
            field(g, "service", e.service);
            field(g, "logGroup", e.logGroup);
            field(g, "logStream", e.logStream);
            field(g, "message", e.message);
            field(g, "traceId", e.traceId);
            field(g, "spanId", e.spanId);
            field(g, "requestId", e.requestId);
            if (e.durationMs != null && !e.durationMs.isNaN() && !e.durationMs.isInfinite()) {
                g.writeNumberField("durationMs", e.durationMs);
            }
            field(g, "format", e.format);
            field(g, "source", e.source == null ? null : e.source.name());
            field(g, "sourceRef", e.sourceRef);
            field(g, "routingKey", e.routingKey);
            field(g, "templateId", e.templateId);
            if (e.fields != null && !e.fields.isEmpty()) {
                writeFields(g, e.fields);
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot write event " + e.eventId + " as JSON", ex);
        }
        return out.toByteArray();
    }

    private static void writeFields(JsonGenerator g, Map<String, String> fields) throws IOException {
        Set<String> taken = new HashSet<>();
        Map<String, String> unindexed = new LinkedHashMap<>();
        g.writeObjectFieldStart("fields");
        for (Map.Entry<String, String> f : fields.entrySet()) {
            if (f.getValue() == null) {
                continue;
            }
            String name = fieldName(f.getKey());
            if (name == null || !taken.add(name)) {
                unindexed.put(unindexedName(f.getKey(), unindexed), f.getValue());
            } else {
                g.writeStringField(name, Storable.text(f.getValue()));
            }
        }
        g.writeEndObject();
        if (!unindexed.isEmpty()) {
            g.writeObjectFieldStart("fieldsUnindexed");
            for (Map.Entry<String, String> f : unindexed.entrySet()) {
                g.writeStringField(f.getKey(), Storable.text(f.getValue()));
            }
            g.writeEndObject();
        }
    }

    /** The indexed name of a {@code fields} key, or null if it has none (blank). */
    static String fieldName(String key) {
        if (key == null) {
            return null;
        }
        String name = Storable.text(key);
        if (name.isBlank()) {
            return null;
        }
        return Storable.truncate(name.replace('.', '_'), MAX_KEY_LENGTH);
    }

    /**
     * The name of a key in {@code fieldsUnindexed}: storable, bounded, and not yet in {@code taken} (keys that become
     * equal by sanitising or cutting get {@code #2}, {@code #3}...; a JSON object with a repeated key is rejected).
     */
    static String unindexedName(String key, Map<String, String> taken) {
        String name = key == null ? "" : Storable.truncate(Storable.text(key), MAX_UNINDEXED_KEY_LENGTH);
        String unique = name;
        for (int n = 2; taken.containsKey(unique); n++) {
            unique = name + "#" + n;
        }
        return unique;
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, Storable.text(value));
        }
    }
}
