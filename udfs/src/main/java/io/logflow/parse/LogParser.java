package io.logflow.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Turns one raw record into a structured {@link LogEvent}. Never throws on bad input: every record gives an event, a
 * failure with a reason code, or a skip. Not thread-safe; an operator keeps one instance.
 *
 * <p>Formats: a line starting with {@code {} is a JSON object (field aliases below); any other line is plain text.
 */
public final class LogParser {
    public static final String FORMAT_JSON = "json";
    public static final String FORMAT_TEXT = "text";

    public static final String REASON_INVALID_JSON = "invalid_json";
    public static final String REASON_BLANK_LINE = "blank_line";

    private static final String[] TIMESTAMP_KEYS = {"timestamp", "@timestamp", "time", "ts"};
    private static final String[] LEVEL_KEYS = {"level", "severity", "lvl"};
    private static final String[] MESSAGE_KEYS = {"message", "msg"};

    private final ObjectMapper mapper = new ObjectMapper();

    public ParseOutcome parse(RawLog raw) {
        String text = raw.text;
        if (text == null || text.isBlank()) {
            return ParseOutcome.skip(REASON_BLANK_LINE);
        }
        LogEvent event = new LogEvent();
        event.eventId = raw.eventId;
        event.ingestTime = raw.receiveTime;
        event.source = raw.source;
        event.sourceRef = raw.sourceRef();
        event.routingKey = raw.routingKey;
        event.logGroup = raw.logGroup;
        event.logStream = raw.logStream;
        long fallbackTime = raw.sourceTime != 0 ? raw.sourceTime : raw.receiveTime;

        String trimmed = text.strip();
        if (trimmed.charAt(0) == '{') {
            JsonNode node;
            try {
                node = mapper.readTree(trimmed);
            } catch (JsonProcessingException e) {
                return ParseOutcome.failure(REASON_INVALID_JSON, e.getOriginalMessage());
            }
            if (node == null || !node.isObject()) {
                return ParseOutcome.failure(REASON_INVALID_JSON, "not a JSON object");
            }
            fillFromJson(event, node, fallbackTime);
        } else {
            event.format = FORMAT_TEXT;
            event.message = text;
            event.level = Level.INFO;
            event.timestamp = fallbackTime;
        }
        return ParseOutcome.event(event);
    }

    private static void fillFromJson(LogEvent event, JsonNode node, long fallbackTime) {
        event.format = FORMAT_JSON;
        Map<String, String> fields = new HashMap<>();
        long ts = Timestamps.NONE;
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (ts == Timestamps.NONE && isOneOf(key, TIMESTAMP_KEYS)) {
                ts = value.isNumber() ? Timestamps.fromEpoch(value.asDouble()) : Timestamps.parse(value.asText());
                if (ts != Timestamps.NONE) {
                    continue;
                }
            } else if (event.level == null && isOneOf(key, LEVEL_KEYS)) {
                event.level = value.isNumber() ? Levels.fromNumber(value.asInt()) : Levels.fromName(value.asText());
                if (event.level != null) {
                    continue;
                }
            } else if (event.message == null && isOneOf(key, MESSAGE_KEYS) && value.isValueNode()) {
                event.message = value.asText();
                continue;
            }
            flatten(key, value, fields);
        }
        event.timestamp = ts != Timestamps.NONE ? ts : fallbackTime;
        if (event.level == null) {
            event.level = Level.INFO;
        }
        event.fields = fields;
    }

    private static void flatten(String prefix, JsonNode value, Map<String, String> out) {
        if (value.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = value.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else if (value.isNull()) {
            out.put(prefix, null);
        } else {
            out.put(prefix, value.isValueNode() ? value.asText() : value.toString());
        }
    }

    private static boolean isOneOf(String key, String[] keys) {
        for (String k : keys) {
            if (k.equals(key)) {
                return true;
            }
        }
        return false;
    }
}
