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
    /** Which role alias groups ({@code FieldRoles.G_*}) the record's attributes contain. */
    public int roleGroups;
    /** The key of an X-Ray trace header attribute, if the record has one. */
    public String amznTraceKey;
    /** What {@link #putTimestampText} put, the instance: see there. */
    public String timestampText;
    private int dropped;
    private int attributes;

    public ParseContext(ParserOptions options) {
        this.options = options;
    }

    public void reset(long receiveTime) {
        this.receiveTime = receiveTime;
        this.failureReason = null;
        this.failureDetail = null;
        this.skipReason = null;
        this.dropped = 0;
        this.roleGroups = 0;
        this.amznTraceKey = null;
        this.timestampText = null;
        this.attributes = 0;
    }

    /**
     * Keeps text that a {@code Timestamps} scanner accepted (or one checked as strictly), or a value
     * {@code Timestamps.parse} took whole, as the event's {@link LogFields#ORIGINAL_TIMESTAMP}. Such text is ASCII
     * digits, month names, {@code T}, {@code Z}, {@code UTC} and separators, with whitespace around it at most:
     * storable as it is, and nothing in it is a secret the built-in redaction rules could find, so the parser's last
     * step passes it without a scan. Only for text checked character by character; any other value goes through
     * {@code fields.put} and is scanned like the rest.
     */
    public void putTimestampText(Map<String, String> fields, String text) {
        fields.put(LogFields.ORIGINAL_TIMESTAMP, text);
        timestampText = text;
    }

    /** Marks the record as failed and returns true: the line was this parser's, but broken. */
    public boolean fail(String reason, String detail) {
        this.failureReason = reason;
        this.failureDetail = detail;
        return true;
    }

    /**
     * Adds an attribute within the configured count limit. Keys that may become core attributes (message, level...)
     * are always kept, so a record with many attributes does not lose its message. Values are cut to length later,
     * once the core attributes are taken.
     */
    public void put(Map<String, String> fields, String key, String value) {
        int groups = FieldRoles.roleGroups(key);
        if (groups != 0) {
            roleGroups |= groups;
            fields.put(key, value);
            return;
        }
        if (amznTraceKey == null && FieldRoles.isAmznTraceKey(key)) {
            amznTraceKey = key;
        }
        if (attributes >= options.maxFields && !fields.containsKey(key)) {
            dropped++;
            fields.put(LogFields.DROPPED_FIELDS, Integer.toString(dropped));
            return;
        }
        if (fields.put(key, value) == null) {
            attributes++;
        }
    }
}
