package io.logflow.replay;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logflow.model.LogEvent;

/** A {@link LogEvent} as the JSON a failure keeps in {@code record}, and back, for a replay. */
public final class EventRecords {
    private static final ObjectMapper JSON =
            new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EventRecords() {}

    public static String toJson(LogEvent event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            return null; // a failure without a record cannot be replayed, but is still recorded
        }
    }

    public static LogEvent fromJson(String json) throws JsonProcessingException {
        return JSON.readValue(json, LogEvent.class);
    }
}
