package io.logflow.sink.dlq;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import io.logflow.model.Failure;
import io.logflow.model.Storable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * A failure as the DLQ's JSON value: {@code failureId, stage, reason, detail, source, sourceRef, workspaceId,
 * raw} (base64 of the kept bytes), {@code rawSize} (bytes before truncation), {@code time} (ISO-8601 UTC), and
 * {@code record} (the failing stage's input as a JSON object, when kept for replay). Absent values are left out.
 *
 * <p>Valid JSON for any failure: every string passes {@link Storable#text} (NUL and unpaired surrogates become
 * U+FFFD), and {@code record} is re-written token by token the same way; a record that is not one JSON value (or
 * repeats a key once sanitised) travels as the string {@code recordText} instead.
 *
 * <p>At most {@link #MAX_BYTES}, so that it fits a Kafka record under the producer's default
 * {@code max.request.size} (1 MB) whatever the failure holds. When the whole value would be larger, {@code record}
 * (or {@code recordText}) is left out and {@code recordOmitted: true} and {@code recordSize} (its UTF-8 bytes) say
 * so; if that is still too large, every string is cut to {@link #CUT_CHARS} characters and {@code raw} to
 * {@link #CUT_RAW_BYTES} bytes, with {@code truncated: true}. The whole failure stays in PostgreSQL.
 */
public final class FailureJson {
    /** Largest value written; the rest of the producer's 1 MB request is headroom for key and headers. */
    public static final int MAX_BYTES = 900 * 1024;
    static final int CUT_CHARS = 4096;
    static final int CUT_RAW_BYTES = 64 * 1024;

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build();

    private FailureJson() {}

    private enum Size { WHOLE, WITHOUT_RECORD, CUT }

    public static byte[] toJson(Failure f) {
        String record = record(f.record);
        byte[] whole = write(f, record, Size.WHOLE);
        if (whole.length <= MAX_BYTES) {
            return whole;
        }
        byte[] withoutRecord = write(f, record, Size.WITHOUT_RECORD);
        return withoutRecord.length <= MAX_BYTES ? withoutRecord : write(f, record, Size.CUT);
    }

    private static byte[] write(Failure f, String record, Size size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + (f.raw == null ? 0 : f.raw.length * 4 / 3));
        boolean cut = size == Size.CUT;
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            field(g, "failureId", f.failureId, cut);
            field(g, "stage", f.stage == null ? null : f.stage.name(), cut);
            field(g, "reason", f.reason, cut);
            field(g, "detail", f.detail, cut);
            field(g, "source", f.source == null ? null : f.source.name(), cut);
            field(g, "sourceRef", f.sourceRef, cut);
            field(g, "workspaceId", f.workspaceId, cut);
            if (f.raw != null) {
                byte[] raw = cut && f.raw.length > CUT_RAW_BYTES ? Arrays.copyOf(f.raw, CUT_RAW_BYTES) : f.raw;
                g.writeStringField("raw", Base64.getEncoder().encodeToString(raw));
            }
            g.writeNumberField("rawSize", f.rawSize);
            g.writeStringField("time", Instant.ofEpochMilli(f.time).toString());
            if (f.record != null) {
                if (size != Size.WHOLE) {
                    g.writeBooleanField("recordOmitted", true);
                    g.writeNumberField("recordSize", Storable.utf8Length(f.record));
                } else if (record != null) {
                    g.writeFieldName("record");
                    g.writeRawValue(record); // re-written below from parsed tokens: one valid JSON value
                } else {
                    g.writeStringField("recordText", Storable.text(f.record));
                }
            }
            if (cut) {
                g.writeBooleanField("truncated", true);
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write failure " + f.failureId + " as JSON", e);
        }
        return out.toByteArray();
    }

    /**
     * {@code record} re-written from its tokens with every name and string storable, or null if it is not exactly
     * one JSON value or repeats a name once sanitised.
     */
    static String record(String record) {
        if (record == null) {
            return null;
        }
        StringWriter out = new StringWriter(record.length());
        try (JsonParser p = JSON.createParser(record);
                JsonGenerator g = JSON.createGenerator(out).enable(JsonGenerator.Feature.STRICT_DUPLICATE_DETECTION)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return null;
            }
            int depth = 0;
            do {
                switch (t) {
                    case FIELD_NAME:
                        g.writeFieldName(Storable.text(p.currentName()));
                        break;
                    case VALUE_STRING:
                        g.writeString(Storable.text(p.getText()));
                        break;
                    default:
                        g.copyCurrentEvent(p);
                }
                if (t.isStructStart()) {
                    depth++;
                } else if (t.isStructEnd()) {
                    depth--;
                }
            } while (depth > 0 && (t = p.nextToken()) != null);
            if (depth != 0 || p.nextToken() != null) {
                return null; // cut short, or more than one value
            }
        } catch (IOException e) {
            return null;
        }
        return out.toString();
    }

    private static void field(JsonGenerator g, String name, String value, boolean cut) throws IOException {
        if (value != null) {
            String text = Storable.text(value);
            g.writeStringField(name, cut ? Storable.truncate(text, CUT_CHARS) : text);
        }
    }

}
