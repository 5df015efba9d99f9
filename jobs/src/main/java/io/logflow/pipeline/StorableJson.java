package io.logflow.pipeline;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import io.logflow.model.Storable;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * JSON that PostgreSQL's {@code jsonb} accepts, by construction: it rejects NUL in a string (raw, or as the escape
 * {@code \u0000}) and an escaped unpaired surrogate, and the driver turns a raw unpaired surrogate into {@code ?}. So
 * every key and string value goes through {@link Storable#text} before Jackson writes it, and Jackson escapes the
 * rest. Never a text replace on escaped JSON: in {@code "C:\\u0000dir"} the {@code \u0000} is an escaped backslash
 * followed by text, and replacing it breaks the escape.
 */
public final class StorableJson {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_UNESCAPED_CONTROL_CHARS)
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNameLength(Integer.MAX_VALUE)
                    .maxStringLength(Integer.MAX_VALUE)
                    .build())
            .build();

    private StorableJson() {}

    /**
     * A factory for reading back what the job stored: a log line's field names and values are as long as the line
     * (Jackson's defaults stop at 50,000 characters for a name).
     */
    public static JsonFactory factory() {
        return JSON.copy();
    }

    /** Makes an {@code ObjectMapper} write every String value and map key as {@link Storable#text} of it. */
    public static Module module() {
        SimpleModule module = new SimpleModule("storable-strings");
        module.addSerializer(String.class, new JsonSerializer<>() {
            @Override
            public void serialize(String value, JsonGenerator g, SerializerProvider provider) throws IOException {
                g.writeString(Storable.text(value));
            }
        });
        module.addKeySerializer(String.class, new JsonSerializer<String>() {
            @Override
            public void serialize(String key, JsonGenerator g, SerializerProvider provider) throws IOException {
                g.writeFieldName(Storable.text(key));
            }
        });
        return module;
    }

    /** A string map as a JSON object (null or empty: null); a null key is written as the empty key. */
    public static String object(Map<String, String> map) {
        if (map == null || map.isEmpty()) {
            return null;
        }
        StringWriter out = new StringWriter(32 * map.size());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (Map.Entry<String, String> e : map.entrySet()) {
                g.writeFieldName(e.getKey() == null ? "" : Storable.text(e.getKey()));
                String value = e.getValue();
                if (value == null) {
                    g.writeNull();
                } else {
                    g.writeString(Storable.text(value));
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return out.toString();
    }

    /**
     * {@code json} as text {@code jsonb} accepts: itself when it is one JSON value holding nothing jsonb rejects (the
     * common case: a scan and a parse); else re-written token by token with storable strings; text that is not JSON
     * at all becomes a JSON string of it. A safety net for JSON made elsewhere, e.g. a failure's {@code record}.
     */
    public static String jsonb(String json) {
        if (json == null || (!suspicious(json) && isOneValue(json))) {
            return json;
        }
        StringWriter out = new StringWriter(json.length() + 16);
        try (JsonParser p = JSON.createParser(json); JsonGenerator g = JSON.createGenerator(out)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                if (t == JsonToken.FIELD_NAME) {
                    g.writeFieldName(Storable.text(p.currentName()));
                } else if (t == JsonToken.VALUE_STRING) {
                    g.writeString(Storable.text(p.getText()));
                } else {
                    g.copyCurrentEvent(p);
                }
            }
            g.flush();
            String rewritten = out.toString();
            return isOneValue(rewritten) ? rewritten : asString(json);
        } catch (IOException | RuntimeException e) {
            return asString(json);
        }
    }

    private static boolean isOneValue(String json) {
        try (JsonParser p = JSON.createParser(json)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** {@code text} as one JSON string value. */
    static String asString(String text) {
        StringWriter out = new StringWriter(text.length() + 16);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeString(Storable.text(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * True when {@code json} holds a raw control character (Jackson escapes them all), NUL, an unpaired surrogate,
     * or an escape {@code \u0000} or {@code \uD800}-{@code \uDFFF}: a text Jackson wrote from storable strings has
     * none of the first three, and the escapes are rare (an escaped backslash followed by such text only costs the
     * slow path).
     */
    static boolean suspicious(String json) {
        int n = json.length();
        for (int i = 0; i < n; i++) {
            char c = json.charAt(i);
            if (c < 0x20) {
                return true;
            }
            if (c >= '\uD800' && c <= '\uDFFF') {
                if (c <= '\uDBFF' && i + 1 < n && Character.isLowSurrogate(json.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (c == '\\' && i + 5 < n && json.charAt(i + 1) == 'u') {
                char h = json.charAt(i + 2);
                if ((h == 'd' || h == 'D') && "89abcdefABCDEF".indexOf(json.charAt(i + 3)) >= 0) {
                    return true;
                }
                if (h == '0' && json.startsWith("000", i + 3)) {
                    return true;
                }
            }
        }
        return false;
    }
}
