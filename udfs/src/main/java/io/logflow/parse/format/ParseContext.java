package io.logflow.parse.format;

import io.logflow.parse.LogFields;
import io.logflow.parse.ParserOptions;

import java.util.Map;

/**
 * Per-parser scratch state shared by the format parsers: the options, the record's receive time, a failure or skip
 * verdict, and reusable position holders (so scanning allocates nothing). Reset for every record.
 */
public final class ParseContext {
    public final ParserOptions options;
    /** Epoch millis the record was received; resolves syslog dates that carry no year. */
    public long receiveTime;
    /** Set when the line is in the parser's format but broken; the record becomes a failure. */
    public String failureReason;
    public String failureDetail;
    /** Set when the line is to be skipped (a header line); the record becomes a counted skip. */
    public String skipReason;
    /** Scratch: end index written by {@code Timestamps.scan*}. */
    public final int[] end = new int[1];
    /** Scratch: bounds written by {@code Levels.sniff}. */
    public final int[] pos = new int[2];
    private int dropped;

    public ParseContext(ParserOptions options) {
        this.options = options;
    }

    public void reset(long receiveTime) {
        this.receiveTime = receiveTime;
        this.failureReason = null;
        this.failureDetail = null;
        this.skipReason = null;
        this.dropped = 0;
    }

    /** Marks the record as failed and returns true: the line was this parser's, but broken. */
    public boolean fail(String reason, String detail) {
        this.failureReason = reason;
        this.failureDetail = detail;
        return true;
    }

    /** Adds an attribute within the configured limits (count and value length). */
    public void put(Map<String, String> fields, String key, String value) {
        if (fields.size() >= options.maxFields && !fields.containsKey(key)) {
            dropped++;
            fields.put(LogFields.DROPPED_FIELDS, Integer.toString(dropped));
            return;
        }
        if (value != null && value.length() > options.maxValueChars) {
            value = value.substring(0, options.maxValueChars);
        }
        fields.put(key, value);
    }
}
