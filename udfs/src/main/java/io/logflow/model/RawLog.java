package io.logflow.model;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One record as a source read it, before parsing: the raw text plus the coordinates that identify it in its source.
 * Public fields and a no-arg constructor; serialised by {@link RawLogSerializer} (no Kryo, no reflection).
 *
 * <p>Only the coordinate fields of its {@link #source} kind are set. A source that could not read a record properly
 * (an oversize line, a truncated archive) still emits it, with {@link #error} set, so that it reaches the failure
 * output instead of vanishing.
 */
@TypeInfo(RawLogSerializer.Factory.class)
public class RawLog {
    public SourceKind source;
    /** Deterministic id from the coordinates; becomes the event's id. */
    public String eventId;
    /** The key workspace enrichment looks up: {@code account/logGroup}, an upload path, a producer's key. */
    public String routingKey;
    /** Epoch millis at which logflow read the record. */
    public long receiveTime;
    /** Epoch millis the source attaches to the record (CloudWatch event timestamp), or 0 when it has none. */
    public long sourceTime;

    // CloudWatch coordinates
    public String owner;
    public String logGroup;
    public String logStream;
    public String cloudwatchId;

    // Upload coordinates
    /** URI of the file, e.g. {@code s3://bucket/key} or {@code file:/data/app.log}. */
    public String path;
    /** Version of the file: S3 object version/ETag or, where the file system offers none, last-modified + size. */
    public String version;
    /** Entry name inside an archive, or null. */
    public String entry;
    /** 1-based line number within the file or entry. */
    public long line;
    /**
     * Size of the file in bytes (set on {@link Marker#FILE_START}); on a record with {@link #error} whose text holds
     * only part of its input (an over-long line, a damaged part of a file), the input's full size in bytes.
     */
    public long fileBytes;
    /** Set on control records only; null on every log record. */
    public Marker marker;

    // Kafka coordinates
    public String topic;
    public int partition;
    public long offset;
    /** Position of the object within a batch record (JSON array or NDJSON). */
    public int index;

    /** Service the source attributes the record to (from an upload's path), used when the line names none. */
    public String service;

    /** The record's text (one line, one CloudWatch message, one JSON object). */
    public String text;
    /** Stable reason code when the source could not read this record properly, else null. */
    public String error;
    public String errorDetail;

    public RawLog() {}

    /** A line of a file whose version is not known. */
    public static RawLog fileLine(String path, String entry, long line, String text, long receiveTime) {
        return fileLine(path, null, entry, line, text, receiveTime);
    }

    /**
     * A line of an uploaded or local file. The id covers the file's version, so re-reading the same object gives the
     * same ids while a new upload under the same key gives new ones.
     */
    public static RawLog fileLine(String path, String version, String entry, long line, String text, long receiveTime) {
        RawLog raw = new RawLog();
        raw.source = SourceKind.UPLOAD;
        raw.path = path;
        raw.version = version;
        raw.entry = entry;
        raw.line = line;
        raw.text = text;
        raw.receiveTime = receiveTime;
        raw.routingKey = path;
        raw.eventId = EventIds.of("upload", path, version, entry, Long.toString(line));
        return raw;
    }

    /** A control record of a file source (see {@link Marker}). */
    public static RawLog fileMarker(Marker marker, String path, String version, long receiveTime) {
        RawLog raw = new RawLog();
        raw.source = SourceKind.UPLOAD;
        raw.marker = marker;
        raw.path = path;
        raw.version = version;
        raw.receiveTime = receiveTime;
        return raw;
    }

    /** A readable reference to the record in its source, stored with events and failures. */
    public String sourceRef() {
        if (source == null) {
            return "unknown";
        }
        switch (source) {
            case CLOUDWATCH:
                return "cloudwatch:" + owner + "/" + logGroup + "/" + logStream + "#" + cloudwatchId;
            case UPLOAD:
                return path + (entry != null ? "!" + entry : "") + "#L" + line;
            case KAFKA:
                return "kafka:" + topic + "/" + partition + "@" + offset + "[" + index + "]";
            default:
                throw new IllegalStateException("unhandled source kind " + source);
        }
    }

    @Override
    public String toString() {
        return "RawLog{" + sourceRef() + (error != null ? ", error=" + error : "") + ", text=" + text + '}';
    }
}
