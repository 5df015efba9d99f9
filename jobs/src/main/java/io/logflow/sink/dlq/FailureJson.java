package io.logflow.sink.dlq;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logflow.model.Failure;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Base64;

/**
 * A failure as the DLQ's JSON value: {@code failureId, stage, reason, detail, source, sourceRef, workspaceId,
 * raw} (base64 of the kept bytes), {@code rawSize} (bytes before truncation), {@code time} (ISO-8601 UTC), and
 * {@code record} (the failing stage's input as a JSON object, when kept for replay). Absent values are left out.
 */
public final class FailureJson {
    private static final JsonFactory JSON = new JsonFactory();

    private FailureJson() {}

    public static byte[] toJson(Failure f) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (f.raw == null ? 0 : f.raw.length * 4 / 3));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            field(g, "failureId", f.failureId);
            field(g, "stage", f.stage == null ? null : f.stage.name());
            field(g, "reason", f.reason);
            field(g, "detail", f.detail);
            field(g, "source", f.source == null ? null : f.source.name());
            field(g, "sourceRef", f.sourceRef);
            field(g, "workspaceId", f.workspaceId);
            field(g, "raw", f.raw == null ? null : Base64.getEncoder().encodeToString(f.raw));
            g.writeNumberField("rawSize", f.rawSize);
            g.writeStringField("time", Instant.ofEpochMilli(f.time).toString());
            if (f.record != null) {
                g.writeFieldName("record");
                g.writeRawValue(f.record); // already JSON: the failing stage's input
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write failure " + f.failureId + " as JSON", e);
        }
        return out.toByteArray();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }
}
