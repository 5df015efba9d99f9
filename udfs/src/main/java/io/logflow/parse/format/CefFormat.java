package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;
import io.logflow.parse.Levels;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * ArcSight Common Event Format, alone or as the message of a syslog line:
 *
 * <pre>
 * CEF:Version|Device Vendor|Device Product|Device Version|Device Event Class ID|Name|Severity|Extension
 * CEF:0|Acme|Gateway|2.1|4021|Login failed|7|src=10.0.0.7 suser=bob msg=Bad password for bob
 * </pre>
 *
 * Header fields become {@code cef.version}, {@code cef.device_vendor}, {@code cef.device_product},
 * {@code cef.device_version}, {@code cef.signature_id}, {@code cef.name} and {@code cef.severity} ({@code \|} and
 * {@code \\} unescaped); extension pairs keep their keys ({@code src}, {@code suser}...), values unescaped
 * ({@code \=}, {@code \\}, {@code \n}, {@code \r}) and may contain spaces: a value runs to the last space before the
 * next {@code key=}. The message is the name; the level follows the severity (0-3 or Low INFO, 4-6 or Medium WARN, 7-8
 * or High ERROR, 9-10 or Very-High FATAL); {@code rt} (or {@code end}, {@code start}), as epoch millis or
 * {@code MMM dd yyyy HH:mm:ss}, is the time.
 */
public final class CefFormat implements FormatParser {
    public static final String FORMAT_CEF = "cef";
    private static final String PREFIX = "CEF:";
    private static final String[] HEADER = {
        "cef.version", "cef.device_vendor", "cef.device_product", "cef.device_version", "cef.signature_id", "cef.name",
        "cef.severity"
    };
    private static final String[] TIME_KEYS = {"rt", "end", "start"};

    /** Whether auto-detection should try CEF. */
    public static boolean looksLikeCef(String line) {
        return line.startsWith(PREFIX);
    }

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        return parseAt(line, 0, event, ctx);
    }

    /**
     * Reads a CEF record starting at {@code from} into the event (format, level, message, fields, and the time when
     * the record has one). False, with nothing written, when it is not one.
     */
    static boolean parseAt(String line, int from, LogEvent event, ParseContext ctx) {
        if (!line.startsWith(PREFIX, from)) {
            return false;
        }
        int n = line.length();
        // Find the seven header fields' bounds first, so nothing is written for a line that is not CEF.
        int[] bounds = new int[8];
        int i = from + PREFIX.length();
        bounds[0] = i;
        int found = 0;
        boolean escaped = false;
        for (; i < n && found < 7; i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                escaped = true;
                i++;
            } else if (c == '|') {
                bounds[++found] = i + 1;
            }
        }
        if (found < 7 || bounds[1] - 1 == bounds[0]) {
            return false;
        }
        Map<String, String> fields = event.fields;
        String[] header = new String[7];
        for (int h = 0; h < 7; h++) {
            header[h] = escaped ? unescape(line, bounds[h], bounds[h + 1] - 1) : line.substring(bounds[h],
                    bounds[h + 1] - 1);
            fields.put(HEADER[h], header[h]);
        }
        readExtension(line, bounds[7], event, ctx);
        event.format = FORMAT_CEF;
        event.message = header[5];
        event.level = severity(header[6].trim());
        for (String key : TIME_KEYS) {
            String v = fields.get(key);
            long ts = v == null ? Timestamps.NONE : time(v, ctx.receiveTime);
            if (ts != Timestamps.NONE) {
                event.timestamp = ts;
                fields.remove(key);
                fields.put(LogFields.ORIGINAL_TIMESTAMP, v);
                break;
            }
        }
        return true;
    }

    /** {@code k=v k2=v with spaces k3=v3}: each value runs to the last space before the next unescaped {@code =}. */
    private static void readExtension(String line, int i, LogEvent event, ParseContext ctx) {
        int n = line.length();
        i = skipSpaces(line, i);
        while (i < n) {
            int ks = i;
            while (i < n && isKeyChar(line.charAt(i))) {
                i++;
            }
            if (i == ks || i >= n || line.charAt(i) != '=') {
                if (ks < n) {
                    ctx.put(event.fields, "cef.extension_rest", line.substring(ks)); // not key=value: kept whole
                }
                return;
            }
            String key = line.substring(ks, i);
            int vs = i + 1;
            int j = vs;
            int lastSpace = -1;
            int next = n;
            boolean escaped = false;
            boolean wordIsKey = false; // the word since the last space is still a possible key
            while (j < n) {
                char c = line.charAt(j);
                if (c == '\\') {
                    escaped = true;
                    wordIsKey = false;
                    j += 2;
                    continue;
                }
                if (c == ' ') {
                    lastSpace = j;
                    wordIsKey = true;
                } else if (c == '=' && wordIsKey && lastSpace >= vs && j > lastSpace + 1) {
                    next = lastSpace + 1;
                    break;
                } else if (!isKeyChar(c)) {
                    wordIsKey = false;
                }
                j++;
            }
            int ve = next == n ? n : lastSpace;
            while (ve > vs && line.charAt(ve - 1) == ' ') {
                ve--;
            }
            ve = Math.min(ve, n);
            ctx.put(event.fields, key, escaped ? unescape(line, vs, ve) : line.substring(vs, ve));
            i = next;
        }
    }

    private static String unescape(String s, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < to) {
                char e = s.charAt(i + 1);
                if (e == '\\' || e == '|' || e == '=') {
                    c = e;
                    i++;
                } else if (e == 'n') {
                    c = '\n';
                    i++;
                } else if (e == 'r') {
                    c = '\r';
                    i++;
                }
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static Level severity(String s) {
        if (s.length() <= 2 && !s.isEmpty() && Character.isDigit(s.charAt(0))
                && (s.length() == 1 || Character.isDigit(s.charAt(1)))) {
            int v = Integer.parseInt(s);
            return v >= 9 ? Level.FATAL : v >= 7 ? Level.ERROR : v >= 4 ? Level.WARN : Level.INFO;
        }
        switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "very-high":
                return Level.FATAL;
            case "high":
                return Level.ERROR;
            case "medium":
                return Level.WARN;
            default:
                Level named = Levels.fromName(s);
                return named != null ? named : Level.INFO;
        }
    }

    /** Epoch millis, ISO or {@code MMM dd yyyy HH:mm:ss[.SSS]} (optionally followed by a zone, ignored: UTC). */
    private static long time(String v, long receiveTime) {
        int month = v.length() >= 20 && v.charAt(3) == ' ' && v.charAt(6) == ' ' && v.charAt(11) == ' '
                ? Timestamps.month(v, 0) : -1;
        if (month > 0) {
            int day = Timestamps.digits(v, 4, 2);
            int year = Timestamps.digits(v, 7, 4);
            int hour = Timestamps.digits(v, 12, 2);
            int minute = Timestamps.digits(v, 15, 2);
            int second = Timestamps.digits(v, 18, 2);
            int millis = v.length() >= 24 && v.charAt(20) == '.' ? Timestamps.digits(v, 21, 3) : 0;
            if (day >= 1 && year >= 0 && day <= Timestamps.daysInMonth(year, month)
                    && Timestamps.isClockTime(hour, minute, second) && v.charAt(14) == ':' && v.charAt(17) == ':'
                    && millis >= 0) {
                return Timestamps.epochMillis(year, month, day, hour, minute, Math.min(second, 59), millis);
            }
            return Timestamps.NONE;
        }
        return Timestamps.parse(v, receiveTime);
    }

    private static boolean isKeyChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
                || c == '-' || c == '[' || c == ']';
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
