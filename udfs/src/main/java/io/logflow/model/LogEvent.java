package io.logflow.model;

import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;
import java.util.Objects;

/**
 * A structured log event: what the sinks store. Public fields and a no-arg constructor; serialised by
 * {@link LogEventSerializer} (no Kryo, no reflection). Fields a line did not provide are null.
 */
@TypeInfo(LogEventSerializer.Factory.class)
public class LogEvent {
    /** Deterministic from the source coordinates, so a replay yields the same id. */
    public String eventId;
    public String workspaceId;
    /** Event time, UTC epoch millis (the line's own timestamp, else the source's, else the ingest time). */
    public long timestamp;
    /** When logflow read the record, UTC epoch millis. */
    public long ingestTime;
    public Level level;
    public String service;
    public String logGroup;
    public String logStream;
    public String message;
    public String traceId;
    public String spanId;
    public String requestId;
    public Double durationMs;

    /** Other attributes of the line, nested keys flattened with dots. */
    public Map<String, String> fields;

    /** The detected line format, e.g. {@code json} or {@code text}. */
    public String format;
    public SourceKind source;
    /** Readable coordinates of the record in its source (see {@link RawLog#sourceRef()}). */
    public String sourceRef;
    /** The key workspace enrichment looks up. */
    public String routingKey;
    /**
     * The message's template: an id that stays put while the template generalises (16 hex digits, unique within the
     * workspace), and its text as it stood when this event was mined. Null until the job's template step.
     */
    public String templateId;
    public String template;

    public LogEvent() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LogEvent)) {
            return false;
        }
        LogEvent e = (LogEvent) o;
        return timestamp == e.timestamp
                && ingestTime == e.ingestTime
                && Objects.equals(eventId, e.eventId)
                && Objects.equals(workspaceId, e.workspaceId)
                && level == e.level
                && Objects.equals(service, e.service)
                && Objects.equals(logGroup, e.logGroup)
                && Objects.equals(logStream, e.logStream)
                && Objects.equals(message, e.message)
                && Objects.equals(traceId, e.traceId)
                && Objects.equals(spanId, e.spanId)
                && Objects.equals(requestId, e.requestId)
                && Objects.equals(durationMs, e.durationMs)
                && Objects.equals(fields, e.fields)
                && Objects.equals(format, e.format)
                && source == e.source
                && Objects.equals(sourceRef, e.sourceRef)
                && Objects.equals(routingKey, e.routingKey)
                && Objects.equals(templateId, e.templateId)
                && Objects.equals(template, e.template);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, timestamp, message);
    }

    @Override
    public String toString() {
        return "LogEvent{" + eventId + " " + timestamp + " " + level + " " + message + " " + fields + '}';
    }
}
