package io.logflow.parse.format;

import io.logflow.model.Level;
import io.logflow.model.LogEvent;
import io.logflow.parse.LogFields;
import io.logflow.parse.Levels;
import io.logflow.parse.Timestamps;

import java.util.Map;

/**
 * AWS Lambda lines in CloudWatch:
 *
 * <ul>
 *   <li>platform lines: {@code START RequestId: <id> Version: $LATEST}, {@code END RequestId: <id>},
 *       {@code REPORT RequestId: <id>\tDuration: 2.55 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory
 *       Used: 70 MB\tInit Duration: 150.30 ms}, {@code INIT_START Runtime Version: ...}, and
 *       {@code RequestId: <id> Error: ...};
 *   <li>the runtimes' default text: Node {@code 2024-06-15T12:00:00.123Z\t<id>\tINFO\tmessage} (the level column is
 *       absent in old runtimes) and Python {@code [INFO]\t2024-06-15T12:00:00.123Z\t<id>\tmessage}.
 * </ul>
 */
public final class LambdaFormat implements FormatParser {
    private static final String REQUEST_ID = "RequestId: ";

    @Override
    public boolean parse(String line, LogEvent event, ParseContext ctx) {
        char c = line.charAt(0);
        if (c == 'S' && line.startsWith("START " + REQUEST_ID)) {
            return platform(line, 6, event, "start");
        } else if (c == 'E' && line.startsWith("END " + REQUEST_ID)) {
            return platform(line, 4, event, "end");
        } else if (c == 'R' && line.startsWith("REPORT " + REQUEST_ID)) {
            return platform(line, 7, event, "report");
        } else if (c == 'R' && line.startsWith(REQUEST_ID)) {
            boolean ok = platform(line, 0, event, "error");
            event.level = Level.ERROR;
            return ok;
        } else if (c == 'I' && (line.startsWith("INIT_START ") || line.startsWith("INIT_REPORT "))) {
            int sp = line.indexOf(' ');
            event.fields.put("lambda_event", line.substring(0, sp).toLowerCase(java.util.Locale.ROOT));
            readSegments(line, sp + 1, event);
            finishPlatform(line, event);
            return true;
        } else if (c == '[') {
            return pythonText(line, event, ctx);
        }
        return nodeText(line, event, ctx);
    }

    private static boolean platform(String line, int at, LogEvent event, String kind) {
        event.fields.put("lambda_event", kind);
        readSegments(line, at, event);
        if (event.requestId == null) {
            return false;
        }
        finishPlatform(line, event);
        return true;
    }

    private static void finishPlatform(String line, LogEvent event) {
        String status = event.fields.get("status");
        if (event.level == null) {
            event.level = status == null || status.equals("success") ? Level.INFO : Level.ERROR;
        }
        event.message = line;
        event.format = LogFields.FORMAT_LAMBDA_PLATFORM;
    }

    /** {@code Name: value[ unit]} segments separated by tabs (or, in START lines, by the next {@code Name:}). */
    private static void readSegments(String line, int i, LogEvent event) {
        Map<String, String> fields = event.fields;
        int n = line.length();
        while (i < n) {
            while (i < n && (line.charAt(i) == '\t' || line.charAt(i) == ' ' || line.charAt(i) == '\n')) {
                i++;
            }
            int colon = line.indexOf(": ", i);
            if (colon < 0) {
                break;
            }
            String name = line.substring(i, colon);
            int vs = colon + 2;
            int ve = vs;
            while (ve < n && line.charAt(ve) != '\t' && line.charAt(ve) != '\n') {
                ve++;
            }
            // START lines use single spaces: "RequestId: x Version: $LATEST"
            if (name.equals("RequestId")) {
                int sp = line.indexOf(' ', vs);
                if (sp > 0 && sp < ve) {
                    ve = sp;
                }
            }
            String value = line.substring(vs, ve).trim();
            i = ve;
            putSegment(name, value, event, fields);
        }
    }

    private static void putSegment(String name, String value, LogEvent event, Map<String, String> fields) {
        switch (name) {
            case "RequestId":
                event.requestId = value;
                break;
            case "Duration":
                event.durationMs = number(value);
                break;
            case "Billed Duration":
                putNumber(fields, "billed_duration_ms", value);
                break;
            case "Memory Size":
                putNumber(fields, "memory_size_mb", value);
                break;
            case "Max Memory Used":
                putNumber(fields, "max_memory_used_mb", value);
                break;
            case "Init Duration":
                putNumber(fields, "init_duration_ms", value);
                break;
            case "XRAY TraceId":
                event.traceId = value;
                break;
            case "SegmentId":
                event.spanId = value;
                break;
            default:
                String key = name.toLowerCase(java.util.Locale.ROOT).replace(' ', '_');
                if (key.length() <= 64) {
                    fields.put(key, value);
                }
        }
    }

    private static void putNumber(Map<String, String> fields, String key, String value) {
        Double v = number(value);
        fields.put(key, v == null ? value : stripZeroFraction(value));
    }

    /** {@code "2.55 ms"} gives 2.55; null when it does not start with a number. */
    private static Double number(String value) {
        int sp = value.indexOf(' ');
        String num = sp < 0 ? value : value.substring(0, sp);
        double d = FieldRoles.parseDurationMs(num);
        return Double.isNaN(d) ? null : d;
    }

    private static String stripZeroFraction(String value) {
        int sp = value.indexOf(' ');
        return sp < 0 ? value : value.substring(0, sp);
    }

    /** {@code [LEVEL]\t<iso>\t<requestId>\tmessage}. */
    private static boolean pythonText(String line, LogEvent event, ParseContext ctx) {
        int close = line.indexOf(']');
        if (close < 2 || close > 12 || close + 1 >= line.length() || line.charAt(close + 1) != '\t') {
            return false;
        }
        Level level = Levels.lookup(line, 1, close);
        if (level == null) {
            return false;
        }
        int tsStart = close + 2;
        long ts = Timestamps.scanIso(line, tsStart, ctx.end);
        int tsEnd = ctx.end[0];
        if (ts == Timestamps.NONE || tsEnd >= line.length() || line.charAt(tsEnd) != '\t') {
            return false;
        }
        int idEnd = line.indexOf('\t', tsEnd + 1);
        if (idEnd < 0 || !isRequestId(line, tsEnd + 1, idEnd)) {
            return false;
        }
        event.level = level;
        event.timestamp = ts;
        ctx.putTimestampText(event.fields, line.substring(tsStart, tsEnd));
        event.requestId = line.substring(tsEnd + 1, idEnd);
        event.message = line.substring(idEnd + 1);
        event.format = LogFields.FORMAT_LAMBDA_TEXT;
        return true;
    }

    /** {@code <iso>\t<requestId>\t[LEVEL\t]message}. */
    private static boolean nodeText(String line, LogEvent event, ParseContext ctx) {
        long ts = Timestamps.scanIso(line, 0, ctx.end);
        int tsEnd = ctx.end[0];
        if (ts == Timestamps.NONE || tsEnd >= line.length() || line.charAt(tsEnd) != '\t') {
            return false;
        }
        int idEnd = line.indexOf('\t', tsEnd + 1);
        if (idEnd < 0 || !isRequestId(line, tsEnd + 1, idEnd)) {
            return false;
        }
        event.timestamp = ts;
        ctx.putTimestampText(event.fields, line.substring(0, tsEnd));
        event.requestId = line.substring(tsEnd + 1, idEnd);
        int ms = idEnd + 1;
        int levelEnd = line.indexOf('\t', ms);
        Level level = levelEnd > ms && levelEnd - ms <= 8 ? Levels.lookup(line, ms, levelEnd) : null;
        if (level != null) {
            event.level = level;
            ms = levelEnd + 1;
        }
        event.message = line.substring(ms);
        event.format = LogFields.FORMAT_LAMBDA_TEXT;
        return true;
    }

    /** A UUID as Lambda writes request ids, or {@code undefined} (Node outside a handler). */
    private static boolean isRequestId(String s, int from, int to) {
        if (to - from == 9 && s.startsWith("undefined", from)) {
            return true;
        }
        if (to - from != 36) {
            return false;
        }
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            int k = i - from;
            boolean dash = k == 8 || k == 13 || k == 18 || k == 23;
            if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }
}
