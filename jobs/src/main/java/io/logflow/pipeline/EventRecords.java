package io.logflow.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.LogEvent;
import io.logflow.model.RawLog;

/**
 * What a failure keeps in {@code record} for a replay, as JSON: the parsed {@link LogEvent} of an ENRICH failure, the
 * {@link RawLog} of a PARSE failure (re-parsed on replay, after a fix). Written as {@code jsonb} accepts it for any
 * input: every string and key is made storable first (a NUL in a raw line becomes U+FFFD in the record).
 */
public final class EventRecords {
    private static final ObjectMapper JSON = new ObjectMapper(StorableJson.factory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(StorableJson.module());

    private EventRecords() {}

    public static String toJson(LogEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException | RuntimeException e) {
            return null; // a failure without a record cannot be replayed, but is still recorded
        }
    }

    public static LogEvent fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, LogEvent.class);
    }

    public static String rawToJson(RawLog raw) {
        try {
            return JSON.writeValueAsString(raw);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    public static RawLog rawFromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, RawLog.class);
    }
}
