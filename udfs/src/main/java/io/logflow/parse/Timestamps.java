package io.logflow.parse;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Timestamp values as log lines write them, to UTC epoch millis. */
public final class Timestamps {
    /** Returned when a value is not a timestamp. */
    public static final long NONE = Long.MIN_VALUE;

    private Timestamps() {}

    /** Epoch seconds, millis, micros or nanos, told apart by magnitude. */
    public static long fromEpoch(double value) {
        double abs = Math.abs(value);
        if (abs < 1e11) { // seconds until year 5138
            return (long) (value * 1000d);
        } else if (abs < 1e14) {
            return (long) value;
        } else if (abs < 1e17) {
            return (long) (value / 1000d);
        }
        return (long) (value / 1_000_000d);
    }

    /** ISO-8601 with or without offset (no offset means UTC), or an epoch number as text. */
    public static long parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return NONE;
        }
        char first = text.charAt(0);
        if (first >= '0' && first <= '9' && text.indexOf('-') < 0) {
            try {
                return fromEpoch(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                return NONE;
            }
        }
        String iso = text.indexOf(' ') == 10 ? text.substring(0, 10) + 'T' + text.substring(11) : text;
        try {
            return OffsetDateTime.parse(iso).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through: no offset given
        }
        try {
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toEpochMilli();
        } catch (DateTimeParseException e) {
            // fall through
        }
        try {
            return Instant.parse(iso).toEpochMilli();
        } catch (DateTimeParseException e) {
            return NONE;
        }
    }
}
