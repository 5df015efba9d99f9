package io.logflow.source.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.logflow.model.EventIds;
import io.logflow.model.RawLog;
import io.logflow.model.SourceKind;
import io.logflow.model.Storable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Splits the value of one Kafka record into one {@link RawLog} per JSON object, validating each object at the edge.
 * Plain Java, no Flink: {@link KafkaRawLogSchema} calls it for every record.
 *
 * <h2>Framing</h2>
 * A record holds one JSON object, a JSON array of objects, or NDJSON (objects separated by newlines); in general a
 * sequence of JSON values separated by whitespace, where each top-level array is a batch whose elements are the events.
 * The bytes are read once with a streaming Jackson parser, and each event's {@link RawLog#text} is its exact JSON text
 * from the record. When the record is not valid JSON:
 * <ul>
 *   <li>if it starts with {@code [}, the events before the break go through and the rest of the record becomes one
 *       {@code invalid_json} item (where a broken array element ends cannot be known);</li>
 *   <li>otherwise it is read again as NDJSON, line by line, so a broken line becomes one {@code invalid_json} item and
 *       the other lines go through.</li>
 * </ul>
 *
 * <h2>Validation</h2>
 * Each item becomes a RawLog; one that breaks a rule carries {@link RawLog#error} set to a stable reason code and its
 * raw JSON as text (the parse step turns it into a failure), while the other items of the record go through:
 * {@value #INVALID_JSON}, {@value #NOT_AN_OBJECT}, {@value #TOO_DEEP} (nesting deeper than {@code maxDepth}, the event
 * itself being depth 1), {@value #MISSING_MESSAGE} (no top-level {@code message} or {@code msg}),
 * {@value #INVALID_MESSAGE} ({@code message}, or else {@code msg}, is not a string) and
 * {@value #INVALID_IDEMPOTENCY_KEY} (the key field is not a string or an integer). A whole record over
 * {@code maxRecordBytes} or with more than {@code maxObjects} items becomes one RawLog, {@value #RECORD_TOO_LARGE} or
 * {@value #TOO_MANY_OBJECTS}, carrying the first {@value #REJECTED_TEXT_BYTES} bytes. A null value (a tombstone) or a
 * blank one yields nothing. Never throws on bad input.
 *
 * <h2>Routing key and id</h2>
 * The routing key (what workspace enrichment looks up) is, first match wins: the Kafka record key, else the event's
 * top-level {@code workspace} string, else the routing header (default {@code workspace}). An event with an idempotency
 * key (the configured field, default {@code idempotencyKey}, or else {@code eventId}) gets the id
 * {@code EventIds.of("kafka-key", routingKey, key)}: the same key sent twice to the same workspace is stored once,
 * whatever its offset. Any other item gets {@code EventIds.of("kafka", topic, partition, offset, index)}, so re-reading
 * a record gives the same ids.
 */
public final class KafkaRecordSplitter {
    public static final String INVALID_JSON = "invalid_json";
    public static final String NOT_AN_OBJECT = "not_an_object";
    public static final String TOO_DEEP = "too_deep";
    public static final String MISSING_MESSAGE = "missing_message";
    public static final String INVALID_MESSAGE = "invalid_message";
    public static final String INVALID_IDEMPOTENCY_KEY = "invalid_idempotency_key";
    public static final String RECORD_TOO_LARGE = "record_too_large";
    public static final String TOO_MANY_OBJECTS = "too_many_objects";

    public static final int DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_OBJECTS = 10_000;
    public static final int DEFAULT_MAX_DEPTH = 32;
    public static final String DEFAULT_IDEMPOTENCY_FIELD = "idempotencyKey";
    /** Accepted as the idempotency key when the configured field is absent. */
    public static final String EVENT_ID_FIELD = "eventId";
    public static final String DEFAULT_ROUTING_HEADER = "workspace";
    /** Top-level field naming the event's workspace. */
    public static final String WORKSPACE_FIELD = "workspace";
    /** Most bytes of a rejected whole record, or of the broken rest of one, carried on as text. */
    public static final int REJECTED_TEXT_BYTES = 4096;

    private final int maxRecordBytes;
    private final int maxObjects;
    private final int maxDepth;
    private final String idempotencyField;
    private final String routingHeader;
    private final JsonFactory json;

    public KafkaRecordSplitter(
            int maxRecordBytes, int maxObjects, int maxDepth, String idempotencyField, String routingHeader) {
        if (maxRecordBytes <= 0 || maxObjects <= 0 || maxDepth <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxRecordBytes = maxRecordBytes;
        this.maxObjects = maxObjects;
        this.maxDepth = maxDepth;
        this.idempotencyField = idempotencyField;
        this.routingHeader = routingHeader;
        // Our own depth rule decides first; Jackson's nesting limit stays a backstop far above it.
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(Math.max(maxDepth + 1, StreamReadConstraints.DEFAULT_MAX_DEPTH))
                        .build())
                .build();
    }

    /** A splitter with every default limit. */
    public static KafkaRecordSplitter withDefaults() {
        return new KafkaRecordSplitter(DEFAULT_MAX_RECORD_BYTES, DEFAULT_MAX_OBJECTS, DEFAULT_MAX_DEPTH,
                DEFAULT_IDEMPOTENCY_FIELD, DEFAULT_ROUTING_HEADER);
    }

    /**
     * The events of one record.
     *
     * @param timestamp the record's Kafka timestamp (becomes {@link RawLog#receiveTime}; a re-read gives the same);
     *     zero or less takes the current time
     * @param key the record key as UTF-8, or null
     * @param headers the record's headers as UTF-8 (the last value of a repeated header), never null
     * @param value the record value, or null for a tombstone
     */
    public List<RawLog> split(String topic, int partition, long offset, long timestamp, String key,
            Map<String, String> headers, byte[] value) {
        Coordinates at = new Coordinates(topic, partition, offset, timestamp > 0 ? timestamp : System.currentTimeMillis(),
                blankToNull(key), blankToNull(headers.get(routingHeader)));
        if (value == null) {
            return List.of();
        }
        if (value.length > maxRecordBytes) {
            RawLog tooLarge = at.rejected(0, RECORD_TOO_LARGE,
                    value.length + " bytes, more than the maximum of " + maxRecordBytes, bounded(value, 0));
            tooLarge.fileBytes = value.length; // the text is its first bytes; raw_size is the record's size
            return List.of(tooLarge);
        }
        int first = skipBlank(value, 0, value.length);
        if (first == value.length) {
            return List.of();
        }
        List<Item> items;
        try {
            items = items(value, value[first] == '[');
        } catch (TooManyObjects e) {
            return List.of(at.rejected(0, TOO_MANY_OBJECTS,
                    "more than the maximum of " + maxObjects + " objects in one record", bounded(value, 0)));
        }
        List<RawLog> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            out.add(items.get(i).toRawLog(at, i));
        }
        return out;
    }

    private List<Item> items(byte[] value, boolean startsWithArray) {
        List<Item> items = new ArrayList<>();
        int brokenAt = readValues(value, items);
        if (brokenAt < 0) {
            return items;
        }
        if (startsWithArray || indexOf(value, (byte) '\n', 0) < 0) {
            items.add(brokenRest(value, brokenAt));
            return items;
        }
        // Not one JSON text: NDJSON, where one broken line spoils only itself.
        items.clear();
        int start = 0;
        while (start < value.length) {
            int newline = indexOf(value, (byte) '\n', start);
            int end = newline < 0 ? value.length : newline;
            if (skipBlank(value, start, end) < end) {
                byte[] line = Arrays.copyOfRange(value, start, end);
                int lineBrokenAt = readValues(line, items);
                if (lineBrokenAt >= 0) {
                    items.add(brokenRest(line, lineBrokenAt));
                }
            }
            start = end + 1;
        }
        checkCount(items);
        return items;
    }

    /**
     * Reads the whitespace-separated JSON values of {@code buf} into {@code items}, expanding top-level arrays.
     * Returns -1 when all of it is valid JSON, else the offset where the unread rest starts (after the last complete
     * item).
     */
    private int readValues(byte[] buf, List<Item> items) {
        int consumed = 0;
        try (JsonParser p = json.createParser(buf)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.START_ARRAY) {
                    consumed = end(p);
                    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (t == null) {
                            return consumed;
                        }
                        items.add(readItem(p, buf));
                        checkCount(items);
                        consumed = end(p);
                    }
                } else {
                    items.add(readItem(p, buf));
                    checkCount(items);
                }
                consumed = end(p);
            }
            return -1;
        } catch (IOException e) {
            return consumed;
        }
    }

    /** One value, the parser on its first token; leaves the parser on its last. */
    private Item readItem(JsonParser p, byte[] buf) throws IOException {
        int start = offset(p, p.currentTokenLocation().getByteOffset());
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT) {
            skip(p, 1);
            return Item.rejected(text(buf, start, end(p)), NOT_AN_OBJECT, typeName(t) + ", not an object");
        }
        int deepest = 1;
        JsonToken message = null;
        JsonToken msg = null;
        String workspace = null;
        String idempotencyKey = null;
        String eventId = null;
        boolean badKey = false;
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
            String name = p.currentName();
            t = p.nextToken();
            if (name.equals("message")) {
                message = message == null ? t : message;
            } else if (name.equals("msg")) {
                msg = msg == null ? t : msg;
            }
            if (name.equals(WORKSPACE_FIELD) && t == JsonToken.VALUE_STRING && workspace == null) {
                workspace = blankToNull(p.getText());
            }
            if (name.equals(idempotencyField) || name.equals(EVENT_ID_FIELD)) {
                String k = t == JsonToken.VALUE_STRING || t == JsonToken.VALUE_NUMBER_INT ? blankToNull(p.getText())
                        : null;
                badKey |= k == null;
                if (name.equals(idempotencyField)) {
                    idempotencyKey = idempotencyKey == null ? k : idempotencyKey;
                } else {
                    eventId = eventId == null ? k : eventId;
                }
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                deepest = Math.max(deepest, 1 + skip(p, 1));
            }
        }
        String text = text(buf, start, end(p));
        if (deepest > maxDepth) {
            return Item.rejected(text, TOO_DEEP, "nested " + deepest + " levels deep, more than the maximum of "
                    + maxDepth);
        }
        JsonToken messageType = message != null ? message : msg;
        if (messageType == null) {
            return Item.rejected(text, MISSING_MESSAGE, "no top-level 'message' or 'msg' field");
        }
        if (messageType != JsonToken.VALUE_STRING) {
            return Item.rejected(text, INVALID_MESSAGE, "'" + (message != null ? "message" : "msg")
                    + "' is " + typeName(messageType) + ", not a string");
        }
        String key = idempotencyKey != null ? idempotencyKey : eventId;
        if (key == null && badKey) {
            return Item.rejected(text, INVALID_IDEMPOTENCY_KEY, "'" + idempotencyField + "' or '" + EVENT_ID_FIELD
                    + "' is not a non-blank string or integer");
        }
        Item item = new Item(text, null, null);
        item.workspace = workspace;
        item.idempotencyKey = key;
        return item;
    }

    /**
     * Skips the rest of the value the parser is on (nothing for a scalar); returns how many levels deep it went below
     * its start, counting the start itself as {@code level}.
     */
    private static int skip(JsonParser p, int level) throws IOException {
        JsonToken t = p.currentToken();
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            p.finishToken();
            return 0;
        }
        int depth = level;
        int deepest = level;
        while (depth >= level) {
            t = p.nextToken();
            if (t == null) {
                throw new JsonProcessingException("unexpected end of input") {};
            }
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                deepest = Math.max(deepest, ++depth);
            } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                depth--;
            }
        }
        return deepest;
    }

    private void checkCount(List<Item> items) {
        if (items.size() > maxObjects) {
            throw new TooManyObjects();
        }
    }

    private static Item brokenRest(byte[] buf, int from) {
        int start = from;
        while (start < buf.length && (buf[start] == ',' || isBlank(buf[start]))) {
            start++;
        }
        if (start == buf.length) {
            return Item.rejected("", INVALID_JSON, "the record ends inside an array");
        }
        String detail = "not valid JSON";
        try (JsonParser p = new JsonFactory().createParser(buf, start, buf.length - start)) {
            while (p.nextToken() != null) {
                p.finishToken();
            }
        } catch (StreamConstraintsException e) {
            return Item.rejected(bounded(buf, start), TOO_DEEP, e.getOriginalMessage());
        } catch (IOException e) {
            detail = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getOriginalMessage()
                    : e.toString();
        }
        return Item.rejected(bounded(buf, start), INVALID_JSON, firstLine(detail));
    }

    private static int end(JsonParser p) throws IOException {
        return offset(p, p.currentLocation().getByteOffset());
    }

    /** Byte offsets exist only where Jackson reads the bytes as UTF-8; it takes other encodings for a char stream. */
    private static int offset(JsonParser p, long byteOffset) throws IOException {
        if (byteOffset < 0) {
            throw new JsonParseException(p, "not UTF-8 encoded JSON");
        }
        return (int) byteOffset;
    }

    private static String text(byte[] buf, int start, int end) {
        return new String(buf, start, end - start, StandardCharsets.UTF_8);
    }

    private static String bounded(byte[] buf, int start) {
        return new String(buf, start, Math.min(buf.length - start, REJECTED_TEXT_BYTES), StandardCharsets.UTF_8);
    }

    private static String typeName(JsonToken t) {
        switch (t) {
            case START_OBJECT: return "an object";
            case START_ARRAY: return "an array";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT: return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE: return "a boolean";
            case VALUE_NULL: return "null";
            case VALUE_STRING: return "a string";
            default: return t.name();
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "not valid JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    private static boolean isBlank(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static int skipBlank(byte[] buf, int from, int to) {
        int i = from;
        while (i < to && isBlank(buf[i])) {
            i++;
        }
        return i;
    }

    private static int indexOf(byte[] buf, byte b, int from) {
        for (int i = from; i < buf.length; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** One item of a record, before it knows its position. */
    private static final class Item {
        final String text;
        final String error;
        final String detail;
        String workspace;
        String idempotencyKey;

        Item(String text, String error, String detail) {
            this.text = text;
            this.error = error;
            this.detail = detail;
        }

        static Item rejected(String text, String reason, String detail) {
            return new Item(text, reason, detail);
        }

        RawLog toRawLog(Coordinates at, int index) {
            RawLog raw = at.rawLog(index, text, workspace);
            raw.error = error;
            raw.errorDetail = Storable.text(detail);
            if (error == null && idempotencyKey != null) {
                raw.eventId = EventIds.of("kafka-key", raw.routingKey, idempotencyKey);
            }
            return raw;
        }
    }

    /** Where a record came from, and the routing keys it offers every item. */
    private static final class Coordinates {
        final String topic;
        final int partition;
        final long offset;
        final long receiveTime;
        final String key;
        final String header;

        Coordinates(String topic, int partition, long offset, long receiveTime, String key, String header) {
            this.topic = topic;
            this.partition = partition;
            this.offset = offset;
            this.receiveTime = receiveTime;
            this.key = key;
            this.header = header;
        }

        RawLog rawLog(int index, String text, String workspace) {
            RawLog raw = new RawLog();
            raw.source = SourceKind.KAFKA;
            raw.topic = topic;
            raw.partition = partition;
            raw.offset = offset;
            raw.index = index;
            raw.receiveTime = receiveTime;
            raw.text = text;
            // a producer's key, field or header may hold NUL or a lone surrogate: the routing key is stored as it is
            raw.routingKey = Storable.text(key != null ? key : workspace != null ? workspace : header);
            raw.eventId = EventIds.of("kafka", topic, Integer.toString(partition), Long.toString(offset),
                    Integer.toString(index));
            return raw;
        }

        RawLog rejected(int index, String reason, String detail, String text) {
            RawLog raw = rawLog(index, text, null);
            raw.error = reason;
            raw.errorDetail = Storable.text(detail);
            return raw;
        }
    }

    private static final class TooManyObjects extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyObjects() {
            super(null, null, false, false);
        }
    }
}
