package io.logflow.parse.format;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;

import java.io.IOException;
import java.util.Map;

/**
 * A JSON object per line. Read with Jackson's streaming parser straight into dotted keys (no tree is built); arrays and
 * objects deeper than {@code maxDepth} are kept as their JSON text. Field aliases are resolved by {@link FieldRoles}.
 * Lines that follow the object in one record (a stack trace the multi-line joiner attached to it) are kept as
 * {@link LogFields#STACK_TRACE}.
 */
public final class JsonFormat implements FormatParser {
    public static final String REASON_INVALID_JSON = "invalid_json";

    /**
     * Thread-safe and expensive to create: one per JVM, so its table of field names is shared by every tenant. Names
     * crafted to collide in that table (its hash has no secret: {@code "B!"} and {@code "AB"} collide, and so do all
     * their concatenations) must not make other tenants' lines fail: Jackson's default then fails lines with an
     * "Internal error on SymbolTable.rehash()" from time to time, whoever sent them. Without the failure, a chain
     * that grows too long is dropped from the table and the line is read without interning its names.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.FAIL_ON_SYMBOL_HASH_OVERFLOW)
            .build();

    /**
     * The dotted keys of nested fields ({@code req.headers.host}), by the instances of their prefix and name. Jackson
     * interns field names and the prefixes come from here, so the same nesting gives the same instances line after
     * line, and one identity test finds the key that was built for them: no string is built and hashed anew, and the
     * tables keyed by field name downstream (role aliases, redaction verdicts, storable keys) hit on identity.
     */
    private final String[] dottedPrefix = new String[DOTTED_SLOTS];
    private final String[] dottedName = new String[DOTTED_SLOTS];
    private final String[] dotted = new String[DOTTED_SLOTS];
    private static final int DOTTED_SLOTS = 256;

    /** Whether auto-detection should treat the line as JSON: {@code {"...} or {@code {}}. */
    public static boolean looksLikeJson(String line) {
        if (line.charAt(0) != '{') {
            return false;
        }
        for (int i = 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                return c == '"' || c == '}';
            }
        }
        return false;
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        if (line.charAt(0) != '{') {
            return false;
        }
        Map<String, String> fields = event.fields;
        int objectEnd = line.length();
        String continuation = null;
        try (JsonParser p = FACTORY.createParser(line)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return ctx.fail(REASON_INVALID_JSON, "not a JSON object");
            }
            readObject(p, line, null, 1, fields, ctx);
            long end = p.currentLocation().getCharOffset();
            int next = end > 0 && end <= line.length() ? continuationStart(line, (int) end) : -1;
            if (next > 0) {
                objectEnd = (int) end;
                continuation = line.substring(next);
            } else if (p.nextToken() != null) {
                return ctx.fail(REASON_INVALID_JSON, "content after the JSON object");
            }
        } catch (JsonProcessingException e) {
            return ctx.fail(REASON_INVALID_JSON, e.getOriginalMessage());
        } catch (IOException e) {
            return ctx.fail(REASON_INVALID_JSON, e.toString());
        }
        event.format = LogFields.FORMAT_JSON;
        FieldRoles.apply(fields, event, ctx);
        if (continuation != null) {
            String own = fields.get(LogFields.STACK_TRACE);
            fields.put(LogFields.STACK_TRACE, own == null || own.isEmpty() ? continuation : own + '\n' + continuation);
        }
        if (event.message == null) {
            // a record without a message is searchable by its whole text (the object's, when lines followed it)
            event.message = objectEnd == line.length() ? line : line.substring(0, objectEnd);
        }
        return true;
    }

    /**
     * Where the lines after the JSON object ending at {@code end} start, when the record is such an object followed by
     * more lines (a stack trace the multi-line joiner attached: {@code {"level":"error",...}\n\tat com.example...}),
     * else -1. Only blanks may follow the object on its own line, and the next line must not start with JSON punctuation:
     * two objects in one record, or an object that goes on, are no stack trace but invalid.
     */
    static int continuationStart(String line, int end) {
        int n = line.length();
        int i = end;
        while (i < n && (line.charAt(i) == ' ' || line.charAt(i) == '\t' || line.charAt(i) == '\r')) {
            i++;
        }
        if (i >= n || line.charAt(i) != '\n') {
            return -1;
        }
        int start = i + 1;
        int j = start;
        while (j < n && Character.isWhitespace(line.charAt(j))) {
            j++;
        }
        return j >= n || "{}[]\",:".indexOf(line.charAt(j)) >= 0 ? -1 : start;
    }

    private void readObject(
            JsonParser p, String line, String prefix, int depth, Map<String, String> fields, ParseContext ctx)
            throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            String key = prefix == null ? name : dotted(prefix, name);
            JsonToken v = p.nextToken();
            if (v == null) {
                throw new com.fasterxml.jackson.core.JsonParseException(p, "unexpected end of input");
            }
            switch (v) {
                case START_OBJECT:
                    if (depth < ctx.options.maxDepth) {
                        readObject(p, line, key, depth + 1, fields, ctx);
                    } else {
                        ctx.put(fields, key, rawStructure(p, line));
                    }
                    break;
                case START_ARRAY:
                    ctx.put(fields, key, rawStructure(p, line));
                    break;
                case VALUE_NULL:
                    ctx.put(fields, key, null);
                    break;
                case VALUE_TRUE:
                    ctx.put(fields, key, "true");
                    break;
                case VALUE_FALSE:
                    ctx.put(fields, key, "false");
                    break;
                default:
                    ctx.put(fields, key, p.getText()); // strings, and numbers as written
            }
        }
        if (t != JsonToken.END_OBJECT) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "unterminated object");
        }
    }

    /** {@code prefix.name}, the instance built the last time this prefix and name came together when it is cached. */
    private String dotted(String prefix, String name) {
        int h = 31 * prefix.hashCode() + name.hashCode();
        int slot = (h ^ (h >>> 16)) & (DOTTED_SLOTS - 1);
        if (dottedPrefix[slot] == prefix && dottedName[slot] == name) {
            return dotted[slot];
        }
        String key = prefix + '.' + name;
        dottedPrefix[slot] = prefix;
        dottedName[slot] = name;
        dotted[slot] = key;
        return key;
    }

    /** The JSON text of the array or object starting at the current token, cut from the line itself. */
    private static String rawStructure(JsonParser p, String line) throws IOException {
        long start = p.currentTokenLocation().getCharOffset();
        p.skipChildren();
        long end = p.currentLocation().getCharOffset();
        if (start < 0 || end > line.length() || end <= start) {
            return null;
        }
        return line.substring((int) start, (int) end);
    }
}
